// Canonical entry and checkpoint bytes (FORMAT §3.1, §6.1) and their hashes.
// The hashes are plain SHA-256 of the CBOR, with no prefix (FORMAT §3.2, §6.1).

import {
  CborWriter,
  MAJOR_ARRAY,
  MAJOR_BYTES,
  MAJOR_TEXT,
  MAJOR_UINT,
  checkUint,
  encodeItem,
  encodeUtf8,
  headLength,
  writeHead,
} from "./cbor";
import { errors } from "./errors";
import { sha256 } from "./hash";
import { ENCODER_CBOR, SEVERITIES, type CheckpointFields, type EntryFields } from "./model";

export const ENCODER_NAME = ENCODER_CBOR;

/** What an entry's bytes are made of besides its version and seqno; a store row has these too. */
export type EntryContent = Omit<EntryFields, "version" | "seqno" | "severity"> & {
  severity: string;
};

// Rows can come back from a store as plain strings; never hash a name the reference could not.
const SEVERITY_ITEMS: ReadonlyMap<string, Uint8Array> = new Map(
  SEVERITIES.map((s) => [s, encodeItem(MAJOR_TEXT, encodeUtf8(s))]),
);

function severityItem(severity: string): Uint8Array {
  const item = SEVERITY_ITEMS.get(severity);
  if (item === undefined) {
    throw errors.encoding(`not a severity: ${JSON.stringify(severity)}`);
  }
  return item;
}

function u32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw errors.encoding(`${what} must be a u32, got ${value}`);
  }
  return value;
}

// Text items of the strings that repeat from entry to entry (stream, session,
// boot, event type, producer, payload encoding), by value. Measured inside
// StarlingMonkey: a lookup costs less than TextEncoder plus a header.
const TEXT_CACHE_MAX = 256;
const TEXT_CACHE_MAX_CHARS = 256;
const textItems = new Map<string, Uint8Array>();

function textItem(s: string): Uint8Array {
  let item = textItems.get(s);
  if (item === undefined) {
    item = encodeItem(MAJOR_TEXT, encodeUtf8(s));
    if (s.length <= TEXT_CACHE_MAX_CHARS) {
      if (textItems.size >= TEXT_CACHE_MAX) textItems.clear();
      textItems.set(s, item);
    }
  }
  return item;
}

/**
 * The 12-item entry array of `version`, `seqno` and the rest from `f` (an
 * EntryFields or a store row as it is); note session before boot (the
 * checkpoint has the reverse). Sized exactly, written once.
 */
export function encodeEntryParts(version: number, f: EntryContent, seqno: bigint): Uint8Array {
  // Checked in item order, so the first bad item is the one reported.
  const v = u32(version, "entry version");
  const seq = checkUint(seqno);
  const severity = severityItem(f.severity);
  const stream = textItem(f.streamId);
  const session = textItem(f.sessionId);
  const boot = textItem(f.bootId);
  const time = encodeUtf8(f.timestampRfc3339);
  const eventType = textItem(f.eventType);
  const producer = textItem(f.producer);
  const encoding = textItem(f.payloadEncoding);
  const payload = f.payload;
  const prev = f.prevEntryHash;

  const out = new Uint8Array(
    1 +
      headLength(v) +
      stream.length +
      session.length +
      boot.length +
      headLength(seq) +
      headLength(time.length) +
      time.length +
      eventType.length +
      severity.length +
      producer.length +
      encoding.length +
      headLength(payload.length) +
      payload.length +
      headLength(prev.length) +
      prev.length,
  );
  let at = writeHead(out, 0, MAJOR_ARRAY, 12);
  at = writeHead(out, at, MAJOR_UINT, v);
  out.set(stream, at);
  at += stream.length;
  out.set(session, at);
  at += session.length;
  out.set(boot, at);
  at += boot.length;
  at = writeHead(out, at, MAJOR_UINT, seq);
  at = writeHead(out, at, MAJOR_TEXT, time.length);
  out.set(time, at);
  at += time.length;
  out.set(eventType, at);
  at += eventType.length;
  out.set(severity, at);
  at += severity.length;
  out.set(producer, at);
  at += producer.length;
  out.set(encoding, at);
  at += encoding.length;
  at = writeHead(out, at, MAJOR_BYTES, payload.length);
  out.set(payload, at);
  at += payload.length;
  at = writeHead(out, at, MAJOR_BYTES, prev.length);
  out.set(prev, at);
  return out;
}

/** The 12-item entry array; note session before boot (the checkpoint has the reverse). */
export function encodeEntry(f: EntryFields): Uint8Array {
  return encodeEntryParts(f.version, f, f.seqno);
}

// Upper bound on the encoded size, so the writer does not grow.
function sizeHint(texts: string[], blobs: Uint8Array[]): number {
  let n = 1 + 12 * 9;
  for (const t of texts) n += 3 * t.length;
  for (const b of blobs) n += b.length;
  return n;
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
