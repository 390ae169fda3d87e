// Appending to and verifying the per-stream hash chain (FORMAT §3).

import { rfc3339 } from "./clock";
import type { LogContext } from "./context";
import { entryHash } from "./encoder";
import { errors } from "./errors";
import { toHex, bytesEqual } from "./hex";
import {
  ENTRY_VERSION,
  ZERO_HASH,
  parseSeverity,
  type AppendResult,
  type EntryFields,
  type Severity,
} from "./model";
import { digest, rowSeqno, rowToEntry } from "./rows";
import type { SecureLogRow } from "./store";
import { storeCall } from "./store-call";
import { prepareStreamForAppend } from "./streams";

export interface NewEntry {
  streamId: string;
  eventType: string;
  severity: Severity;
  producer: string;
  payloadEncoding: string;
  /** Called once the seqno is known, so sealed payloads can bind it. */
  payload: (seqno: bigint) => Uint8Array | Promise<Uint8Array>;
}

/** Seqnos are global: (highest in the store) + 1, starting at 1 (FORMAT §3.2). */
export async function appendEntry(ctx: LogContext, entry: NewEntry): Promise<AppendResult> {
  const severity = parseSeverity(entry.severity);
  await prepareStreamForAppend(ctx, entry.streamId);
  const last = await storeCall("read stream head", () => ctx.store.secureLogLast(entry.streamId));
  const prev = last === undefined ? ZERO_HASH : digest(last.entryHash, "previous entry_hash");
  const globalHead = await storeCall("read global head", () => ctx.store.secureLogGlobalHead());
  const seqno = (globalHead ?? 0n) + 1n;
  const writer = ctx.writer();
  const fields: EntryFields = {
    version: ENTRY_VERSION,
    streamId: entry.streamId,
    sessionId: writer.sessionId,
    bootId: writer.bootId,
    seqno,
    timestampRfc3339: rfc3339(ctx.clock()),
    eventType: entry.eventType,
    severity,
    producer: entry.producer,
    payloadEncoding: entry.payloadEncoding,
    payload: await entry.payload(seqno),
    prevEntryHash: prev,
  };
  const hash = await entryHash(fields);
  const row: SecureLogRow = { ...fields, seqno, entryHash: hash };
  const assigned = await storeCall("insert entry", () => ctx.store.secureLogInsert(row));
  if (assigned !== seqno) {
    throw errors.storage(`store assigned seqno ${assigned} but the hash commits to ${seqno}`);
  }
  return { seqno, entryHash: hash };
}

export async function readEntry(ctx: LogContext, seqno: bigint): Promise<EntryFields> {
  const row = await storeCall("read entry", () => ctx.store.secureLogGet(seqno));
  if (row === undefined) throw errors.entryNotFound(seqno);
  return rowToEntry(row);
}

/**
 * The entry hash of the stream's last row below `seqno`, or ZERO_HASH. Looks
 * back in growing windows instead of reading the whole prefix of the stream.
 */
async function predecessorHash(
  ctx: LogContext,
  streamId: string,
  seqno: bigint,
): Promise<Uint8Array> {
  let window = 64n;
  let hi = seqno - 1n;
  while (hi >= 1n) {
    const lo = hi > window ? hi - window + 1n : 1n;
    const rows = await storeCall("read range", () => ctx.store.secureLogRange(streamId, lo, hi));
    const last = rows.at(-1);
    if (last !== undefined) return digest(last.entryHash, `entry ${rowSeqno(last)} entry_hash`);
    hi = lo - 1n;
    window *= 4n;
  }
  return ZERO_HASH;
}

/** Every link and every stored hash between `from` and `to` inclusive (FORMAT §3.4). */
export async function verifyChain(
  ctx: LogContext,
  streamId: string,
  from: bigint,
  to: bigint,
): Promise<number> {
  if (from > to) throw errors.invalid(`verify_chain: from (${from}) > to (${to})`);
  const rows = await storeCall("read range", () => ctx.store.secureLogRange(streamId, from, to));
  if (rows.length === 0) throw errors.streamNotFound(streamId);
  const first = rowSeqno(rows[0]!);
  let expected = first > 1n ? await predecessorHash(ctx, streamId, first) : ZERO_HASH;
  // Hash every row concurrently; the links are then checked in order.
  const recomputed = await Promise.all(rows.map((row) => entryHash(rowToEntry(row))));
  let previousSeqno = 0n;
  for (const [i, row] of rows.entries()) {
    const seqno = rowSeqno(row);
    if (row.streamId !== streamId || seqno <= previousSeqno) {
      throw errors.chainBroken(seqno, `row out of place in stream '${streamId}'`);
    }
    previousSeqno = seqno;
    if (!bytesEqual(row.prevEntryHash, expected)) {
      throw errors.chainBroken(
        seqno,
        `prev_entry_hash mismatch: stored=${toHex(row.prevEntryHash)} expected=${toHex(expected)}`,
      );
    }
    if (!bytesEqual(recomputed[i]!, row.entryHash)) {
      throw errors.chainBroken(
        seqno,
        `entry content does not match stored hash: recomputed=${toHex(recomputed[i]!)} stored=${toHex(row.entryHash)}`,
      );
    }
    expected = row.entryHash;
  }
  return rows.length;
}
