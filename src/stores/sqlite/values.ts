// Between the store's row fields and SQLite values. SQLite integers are s64,
// so a u64 is stored as itself when it is at most 2^63-1 and refused above
// (docs/design/store-sqlite.md says why no bias): the columns keep the
// reference's layout and read the same in the sqlite3 shell. A value read back
// is checked, so a row this store never wrote fails loudly instead of arriving
// as a wrong type on the other side of the component boundary.

import type { SqlValue } from "./engine";
import { SqliteStoreError } from "./errors";

/** The largest integer SQLite stores, and so the largest u64 this store holds. */
export const I64_MAX = (1n << 63n) - 1n;

export const NULL: SqlValue = { tag: "null" };
export const int = (val: bigint): SqlValue => ({ tag: "integer", val });
export const text = (val: string): SqlValue => ({ tag: "text", val });
/** The engine copies the bytes in (the call lowers them into its memory). */
export const blob = (val: Uint8Array): SqlValue => ({ tag: "blob", val });
export const optText = (val: string | undefined): SqlValue =>
  val === undefined ? NULL : text(val);
export const optBlob = (val: Uint8Array | undefined): SqlValue =>
  val === undefined ? NULL : blob(val);

/** A u64 to store: refused above 2^63-1 with the field's name. */
export function u64(field: string, n: bigint): SqlValue {
  if (n < 0n || n > I64_MAX) {
    throw new SqliteStoreError(
      "invalid",
      `${field} ${n} is above ${I64_MAX} (2^63-1), the largest integer SQLite stores: ` +
        "store-sqlite cannot hold it",
    );
  }
  return int(n);
}

/** A u64 to look up: none above 2^63-1 can be stored, so the caller answers "none". */
export function key(n: bigint): SqlValue | undefined {
  return n > I64_MAX ? undefined : int(n);
}

/** The upper end of a range: everything stored is at most 2^63-1. */
export const upTo = (n: bigint): SqlValue => int(n > I64_MAX ? I64_MAX : n);

function describe(v: SqlValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v.tag === "null") return "NULL";
  if (v.tag === "blob") return `a blob of ${v.val.length} bytes`;
  return `${v.tag} ${JSON.stringify(typeof v.val === "bigint" ? `${v.val}` : v.val)}`;
}

function corrupt(column: string, v: SqlValue | undefined, expected: string): SqliteStoreError {
  return new SqliteStoreError(
    "corrupt",
    `${column} holds ${describe(v)}, not ${expected}: the row was not written by this store`,
  );
}

export function readU64(v: SqlValue | undefined, column: string): bigint {
  if (v?.tag === "integer" && v.val >= 0n) return v.val;
  throw corrupt(column, v, "a u64");
}

export function readOptU64(v: SqlValue | undefined, column: string): bigint | undefined {
  return v?.tag === "null" ? undefined : readU64(v, column);
}

export function readText(v: SqlValue | undefined, column: string): string {
  if (v?.tag === "text") return v.val;
  throw corrupt(column, v, "text");
}

export function readOptText(v: SqlValue | undefined, column: string): string | undefined {
  return v?.tag === "null" ? undefined : readText(v, column);
}

/** A copy in this realm: a list<u8> from a component may come from another one. */
export function readBlob(v: SqlValue | undefined, column: string): Uint8Array {
  if (v?.tag === "blob" && ArrayBuffer.isView(v.val)) return new Uint8Array(v.val);
  throw corrupt(column, v, "a blob");
}

export function readOptBlob(v: SqlValue | undefined, column: string): Uint8Array | undefined {
  return v?.tag === "null" ? undefined : readBlob(v, column);
}
