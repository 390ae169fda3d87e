// secure-log:sqlite/engine@0.1.0 (wit/deps/sqlite-engine/engine.wit) in jco's JS
// shape. The store component gets it from its import; Node tests get it from the
// same engine component transpiled by jco. A failing call throws: jco and
// componentize-js throw the WIT `err` string as the `payload` of the error.

export type SqlValue =
  | { tag: "null" }
  | { tag: "integer"; val: bigint }
  | { tag: "real"; val: number }
  | { tag: "text"; val: string }
  | { tag: "blob"; val: Uint8Array };

export interface SqlRows {
  columns: string[];
  rows: SqlValue[][];
}

/** A connection handle, as `open` returns it. */
export type Connection = number;

export interface Engine {
  open(path: string): Connection;
  execute(db: Connection, sql: string): void;
  /** One savepoint around every row; returns the number of rows changed. */
  executeMany(db: Connection, sql: string, params: SqlValue[][]): bigint;
  query(db: Connection, sql: string, params: SqlValue[]): SqlRows;
  close(db: Connection): void;
}

/** The engine's diagnostic from a thrown WIT err (or whatever else was thrown). */
export function engineMessage(e: unknown): string {
  if (typeof e === "object" && e !== null && "payload" in e) {
    const payload = (e as { payload: unknown }).payload;
    if (typeof payload === "string") return payload;
  }
  return e instanceof Error ? e.message : String(e);
}
