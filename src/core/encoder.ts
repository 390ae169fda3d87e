// Canonical entry and checkpoint bytes (FORMAT §3.1, §6.1) and their hashes.
// The hashes are plain SHA-256 of the CBOR, with no prefix (FORMAT §3.2, §6.1).

import { CborWriter } from "./cbor";
import { errors } from "./errors";
import { sha256 } from "./hash";
import { ENCODER_CBOR, SEVERITIES, type CheckpointFields, type EntryFields } from "./model";

export const ENCODER_NAME = ENCODER_CBOR;

const SEVERITY_NAMES: ReadonlySet<string> = new Set(SEVERITIES);

function u32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw errors.encoding(`${what} must be a u32, got ${value}`);
  }
  return value;
}

// Rows can come back from a store as plain strings; never hash a name the reference could not.
function severityName(severity: string): string {
  if (!SEVERITY_NAMES.has(severity)) {
    throw errors.encoding(`not a severity: ${JSON.stringify(severity)}`);
  }
  return severity;
}

// Upper bound on the encoded size, so the writer does not grow.
function sizeHint(texts: string[], blobs: Uint8Array[]): number {
  let n = 1 + 12 * 9;
  for (const t of texts) n += 3 * t.length;
  for (const b of blobs) n += b.length;
  return n;
}

/** The 12-item entry array; note session before boot (the checkpoint has the reverse). */
export function encodeEntry(f: EntryFields): Uint8Array {
  const texts = [f.streamId, f.sessionId, f.bootId, f.timestampRfc3339, f.eventType, f.producer];
  const w = new CborWriter(sizeHint(texts, [f.payload, f.prevEntryHash]));
  return w
    .array(12)
    .uint(u32(f.version, "entry version"))
    .text(f.streamId)
    .text(f.sessionId)
    .text(f.bootId)
    .uint(f.seqno)
    .text(f.timestampRfc3339)
    .text(f.eventType)
    .text(severityName(f.severity))
    .text(f.producer)
    .text(f.payloadEncoding)
    .bytes(f.payload)
    .bytes(f.prevEntryHash)
    .finish();
}

/** The 12-item checkpoint array; note boot before session (the entry has the reverse). */
export function encodeCheckpoint(f: CheckpointFields): Uint8Array {
  const texts = [f.streamId, f.bootId, f.sessionId, f.timestampRfc3339];
  const blobs = [f.merkleRoot, f.lastEntryHash, f.prevCheckpointHash, f.policyHash];
  const w = new CborWriter(sizeHint(texts, blobs));
  return w
    .array(12)
    .uint(u32(f.version, "checkpoint version"))
    .text(f.streamId)
    .uint(f.segmentId)
    .uint(f.seqStart)
    .uint(f.seqEnd)
    .bytes(f.merkleRoot)
    .bytes(f.lastEntryHash)
    .bytes(f.prevCheckpointHash)
    .text(f.bootId)
    .text(f.sessionId)
    .bytes(f.policyHash)
    .text(f.timestampRfc3339)
    .finish();
}

export function entryHash(f: EntryFields): Promise<Uint8Array> {
  return sha256(encodeEntry(f));
}

export function checkpointHash(f: CheckpointFields): Promise<Uint8Array> {
  return sha256(encodeCheckpoint(f));
}
