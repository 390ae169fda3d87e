// Conversions between store rows and the log's records. Rows come from storage
// and may have been edited behind our back: check shapes, never assume them.

import { errors } from "./errors";
import { bytesEqual } from "./hex";
import { ENTRY_VERSION, HASH_LEN, type EntryFields, type SegmentInfo } from "./model";
import type { SecureLogRow, SecureLogSegmentRow } from "./store";

/** A stored digest must be exactly 32 bytes. */
export function digest(bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length !== HASH_LEN) {
    throw errors.storage(`${what} is ${bytes.length} bytes, expected ${HASH_LEN}`);
  }
  return bytes;
}

/**
 * bytesEqual's answer for two digests, as eight 32-bit words when both are 32
 * aligned bytes: inside StarlingMonkey (interpreted) that costs less than half
 * of the 32-step byte loop, which is the fallback for anything else.
 */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== HASH_LEN || b.length !== HASH_LEN || ((a.byteOffset | b.byteOffset) & 3) !== 0) {
    return bytesEqual(a, b);
  }
  const x = new Uint32Array(a.buffer, a.byteOffset, 8);
  const y = new Uint32Array(b.buffer, b.byteOffset, 8);
  return (
    x[0] === y[0] &&
    x[1] === y[1] &&
    x[2] === y[2] &&
    x[3] === y[3] &&
    x[4] === y[4] &&
    x[5] === y[5] &&
    x[6] === y[6] &&
    x[7] === y[7]
  );
}

export function rowSeqno(row: SecureLogRow): bigint {
  if (row.seqno === undefined) throw errors.storage("entry row has no seqno");
  return row.seqno;
}

/** Verifiers always re-encode with version 1: the version is not stored (FORMAT §10.10). */
export function rowToEntry(row: SecureLogRow): EntryFields {
  return {
    version: ENTRY_VERSION,
    streamId: row.streamId,
    sessionId: row.sessionId,
    bootId: row.bootId,
    seqno: rowSeqno(row),
    timestampRfc3339: row.timestampRfc3339,
    eventType: row.eventType,
    severity: row.severity,
    producer: row.producer,
    payloadEncoding: row.payloadEncoding,
    payload: row.payload,
    prevEntryHash: row.prevEntryHash,
  };
}

export function segmentRowToInfo(row: SecureLogSegmentRow): SegmentInfo {
  if (row.segmentId === undefined) throw errors.storage("segment row has no id");
  return {
    segmentId: row.segmentId,
    streamId: row.streamId,
    seqStart: row.seqStart,
    seqEnd: row.seqEnd,
    merkleRoot: digest(row.merkleRoot, `segment ${row.segmentId} merkle_root`),
    lastEntryHash: digest(row.lastEntryHash, `segment ${row.segmentId} last_entry_hash`),
    prevCheckpointHash: digest(
      row.prevCheckpointHash,
      `segment ${row.segmentId} prev_checkpoint_hash`,
    ),
    closedAtRfc3339: row.closedAtRfc3339,
    signature: row.signature,
    signerIdentity: row.signerIdentity,
  };
}
