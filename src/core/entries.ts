// Appending to and verifying the per-stream hash chain (FORMAT §3).

import { rfc3339 } from "./clock";
import type { LogContext } from "./context";
import { encodeEntryParts, entryHash } from "./encoder";
import { errors } from "./errors";
import { toHex } from "./hex";
import { sha256Each } from "./hash";
import {
  ENTRY_VERSION,
  ZERO_HASH,
  parseSeverity,
  type AppendResult,
  type EntryFields,
  type Severity,
} from "./model";
import { digest, digestsEqual, rowSeqno, rowToEntry } from "./rows";
import type { SecureLogRow } from "./store";
import { storeCall } from "./store-call";
import { prepareStreamForAppend } from "./streams";
import { APPEND_ATTEMPTS, appendBackoff, INSERT_ENTRY, isAppendConflict } from "./append-retry";

export interface NewEntry {
  streamId: string;
  eventType: string;
  severity: Severity;
  producer: string;
  payloadEncoding: string;
  /** Called once the seqno is known, so sealed payloads can bind it. */
  payload: (seqno: bigint) => Uint8Array | Promise<Uint8Array>;
}

/**
 * Seqnos are global: (highest in the store) + 1, starting at 1 (FORMAT §3.2).
 * The store accepts the row only if the seqno and prev_entry_hash still hold
 * (compare-and-append); a refusal starting "conflict: " means another writer
 * appended first, so the heads are read again and the entry re-encoded (and
 * its payload re-sealed for the new seqno) — docs/design/compare-and-append.md.
 */
export async function appendEntry(ctx: LogContext, entry: NewEntry): Promise<AppendResult> {
  const severity = parseSeverity(entry.severity);
  await prepareStreamForAppend(ctx, entry.streamId);
  for (let attempt = 1; ; attempt++) {
    try {
      return await appendOnce(ctx, entry, severity);
    } catch (e) {
      if (!isAppendConflict(e)) throw e;
      if (attempt >= APPEND_ATTEMPTS) {
        throw errors.storage(
          `append to stream '${entry.streamId}': gave up after ${APPEND_ATTEMPTS} attempts, ` +
            `each lost to another writer appending first (last: ${e.payload.val})`,
          e,
        );
      }
      await appendBackoff(attempt);
    }
  }
}

async function appendOnce(
  ctx: LogContext,
  entry: NewEntry,
  severity: Severity,
): Promise<AppendResult> {
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
  const assigned = await storeCall(INSERT_ENTRY, () => ctx.store.secureLogInsert(row));
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
  // Every row is encoded straight from the row (verifiers re-encode with
  // version 1, FORMAT §10.10) before any link is judged, so a malformed row
  // fails first; then hashed one after another (see sha256Each).
  const encoded = new Array<Uint8Array>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    encoded[i] = encodeEntryParts(ENTRY_VERSION, row, rowSeqno(row));
  }
  const recomputed = await sha256Each(encoded);
  let previousSeqno = 0n;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const seqno = rowSeqno(row);
    if (row.streamId !== streamId || seqno <= previousSeqno) {
      throw errors.chainBroken(seqno, `row out of place in stream '${streamId}'`);
    }
    previousSeqno = seqno;
    if (!digestsEqual(row.prevEntryHash, expected)) {
      throw errors.chainBroken(
        seqno,
        `prev_entry_hash mismatch: stored=${toHex(row.prevEntryHash)} expected=${toHex(expected)}`,
      );
    }
    if (!digestsEqual(recomputed[i]!, row.entryHash)) {
      throw errors.chainBroken(
        seqno,
        `entry content does not match stored hash: recomputed=${toHex(recomputed[i]!)} stored=${toHex(row.entryHash)}`,
      );
    }
    expected = row.entryHash;
  }
  return rows.length;
}
