// Compare-and-append (docs/design/compare-and-append.md): a store accepts an
// entry only if its seqno is the next global seqno and its prev_entry_hash is
// the entry_hash of its stream's last entry (32 zero bytes for a stream's first
// entry). Every store checks this atomically with the insert and refuses with a
// message starting "conflict: ", which the core takes as a lost race and retries.

import type { SecureLogRow } from "../core/store";

/** What a failed check reports; the core and rpc-server match this prefix. */
export const CONFLICT_PREFIX = "conflict: ";

/** The stream's last entry as the check needs it. */
export interface StreamLast {
  seqno: bigint;
  entryHash: Uint8Array;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const isZeroHash = (h: Uint8Array) => h.length === 32 && h.every((b) => b === 0);

/**
 * Why `row` may not be appended to a store whose highest seqno is `globalHead`
 * and whose last entry in the row's stream is `last`; undefined when it may.
 */
export function appendConflict(
  row: SecureLogRow,
  seqno: bigint,
  globalHead: bigint | undefined,
  last: StreamLast | undefined,
): string | undefined {
  const next = (globalHead ?? 0n) + 1n;
  if (seqno !== next) return `${CONFLICT_PREFIX}seqno ${seqno} is not the next seqno (${next})`;
  if (last === undefined) {
    if (isZeroHash(row.prevEntryHash)) return undefined;
    return (
      `${CONFLICT_PREFIX}prev_entry_hash of the first entry of stream '${row.streamId}' ` +
      "must be 32 zero bytes"
    );
  }
  if (sameBytes(row.prevEntryHash, last.entryHash)) return undefined;
  return (
    `${CONFLICT_PREFIX}prev_entry_hash does not match the head of stream ` +
    `'${row.streamId}' (seqno ${last.seqno})`
  );
}
