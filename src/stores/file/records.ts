// The file store's line format (docs: src/stores/file/FORMAT.md). Each line is
// one JSON object: first a header, then one record per applied write, each
// naming its `op`. u64 values are decimal strings (JSON numbers lose precision
// above 2^53), bytes are lower-case hex, absent options are absent keys. Records
// state effects, not requests: a segment carries the id it was given and a
// witness gc the ids it deleted, so replay can check it rebuilds the same state.

import { toHex } from "../../core/hex";
import { SEVERITIES, U64_MAX } from "../../core/model";
import type {
  SecureLogRow,
  SecureLogSegmentRow,
  SecureLogStreamRow,
  SegmentEntry,
  WitnessLogRow,
} from "../../core/store";
import { Fields, RecordError, u64FromText } from "./fields";

export const FORMAT_NAME = "secure-log-file-store";
export const FORMAT_VERSION = 1;

export type FileRecord =
  | { op: "entry"; row: SecureLogRow & { seqno: bigint } }
  | { op: "segment"; segmentId: bigint; row: SecureLogSegmentRow; entries: SegmentEntry[] }
  | { op: "signature"; segmentId: bigint; signature: Uint8Array; signerIdentity: string }
  | { op: "witness"; id: bigint; row: WitnessLogRow }
  | { op: "witness-gc"; ids: bigint[] }
  | { op: "stream"; row: SecureLogStreamRow }
  | { op: "stream-tier"; name: string; tier: string }
  | { op: "stream-deprecate"; name: string; deprecatedAtRfc3339: string };

type Json = Record<string, unknown>;

export function headerLine(): string {
  return JSON.stringify({ format: FORMAT_NAME, version: FORMAT_VERSION });
}

/** Checks the first line; throws RecordError saying what the file is not. */
export function checkHeader(text: string): void {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new RecordError(`not a ${FORMAT_NAME} header (not JSON)`);
  }
  const obj = (typeof v === "object" && v !== null ? v : {}) as Json;
  if (obj.format !== FORMAT_NAME) {
    throw new RecordError(`not a ${FORMAT_NAME} header (expected {"format":"${FORMAT_NAME}",…})`);
  }
  if (obj.version !== FORMAT_VERSION) {
    throw new RecordError(
      `unsupported ${FORMAT_NAME} version ${JSON.stringify(obj.version)} ` +
        `(this build reads version ${FORMAT_VERSION})`,
    );
  }
}

// Encoding. Values are checked here, before the store changes anything, so a
// row that could not be read back is refused instead of written.

function u64(v: bigint, what: string): string {
  if (typeof v !== "bigint" || v < 0n || v > U64_MAX) {
    throw new RangeError(`${what} must be a u64, got ${String(v)}`);
  }
  return v.toString(10);
}

// Not `instanceof`: inside a componentize-js component the bindings' Uint8Array
// is another realm's, so lifted list<u8> values fail `instanceof Uint8Array`.
function isBytes(v: unknown): v is Uint8Array {
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === "[object Uint8Array]";
}

function hex(v: Uint8Array, what: string): string {
  if (!isBytes(v)) throw new TypeError(`${what} must be a Uint8Array`);
  return toHex(v);
}

function text(v: string, what: string): string {
  if (typeof v !== "string") throw new TypeError(`${what} must be a string`);
  return v;
}

function severity(v: string): string {
  if (!(SEVERITIES as readonly string[]).includes(v)) {
    throw new TypeError(`severity must be one of ${SEVERITIES.join(", ")}, got ${String(v)}`);
  }
  return v;
}

function optText(v: string | undefined, what: string): string | undefined {
  return v === undefined ? undefined : text(v, what);
}

export function entryJson(r: SecureLogRow): Json {
  return {
    op: "entry",
    // Missing seqno is the index's rule to refuse; it never reaches the file.
    seqno: r.seqno === undefined ? undefined : u64(r.seqno, "seqno"),
    stream_id: text(r.streamId, "stream-id"),
    session_id: text(r.sessionId, "session-id"),
    boot_id: text(r.bootId, "boot-id"),
    timestamp_rfc3339: text(r.timestampRfc3339, "timestamp-rfc3339"),
    event_type: text(r.eventType, "event-type"),
    severity: severity(r.severity),
    producer: text(r.producer, "producer"),
    payload_encoding: text(r.payloadEncoding, "payload-encoding"),
    payload: hex(r.payload, "payload"),
    prev_entry_hash: hex(r.prevEntryHash, "prev-entry-hash"),
    entry_hash: hex(r.entryHash, "entry-hash"),
  };
}

/** `segment_id` is filled in once the index has assigned it. */
export function segmentJson(r: SecureLogSegmentRow, entries: SegmentEntry[]): Json {
  if (!Array.isArray(entries)) throw new TypeError("entries must be an array");
  return {
    op: "segment",
    segment_id: "",
    stream_id: text(r.streamId, "stream-id"),
    seq_start: u64(r.seqStart, "seq-start"),
    seq_end: u64(r.seqEnd, "seq-end"),
    merkle_root: hex(r.merkleRoot, "merkle-root"),
    last_entry_hash: hex(r.lastEntryHash, "last-entry-hash"),
    prev_checkpoint_hash: hex(r.prevCheckpointHash, "prev-checkpoint-hash"),
    closed_at_rfc3339: text(r.closedAtRfc3339, "closed-at-rfc3339"),
    signature: r.signature === undefined ? undefined : hex(r.signature, "signature"),
    signer_identity: optText(r.signerIdentity, "signer-identity"),
    entries: entries.map(([seqno, leaf], i) => [
      u64(seqno, `entries[${i}] seqno`),
      u64(leaf, `entries[${i}] leaf index`),
    ]),
  };
}

export function signatureJson(segmentId: bigint, signature: Uint8Array, signer: string): Json {
  return {
    op: "signature",
    segment_id: u64(segmentId, "segment-id"),
    signature: hex(signature, "signature"),
    signer_identity: text(signer, "signer-identity"),
  };
}

/** `id` is filled in once the index has assigned it. */
export function witnessJson(r: WitnessLogRow): Json {
  return {
    op: "witness",
    id: "",
    stream_id: text(r.streamId, "stream-id"),
    segment_id: u64(r.segmentId, "segment-id"),
    seq_start: u64(r.seqStart, "seq-start"),
    seq_end: u64(r.seqEnd, "seq-end"),
    checkpoint_hash_hex: text(r.checkpointHashHex, "checkpoint-hash-hex"),
    signature_hex: text(r.signatureHex, "signature-hex"),
    signer_identity: text(r.signerIdentity, "signer-identity"),
    received_at_rfc3339: text(r.receivedAtRfc3339, "received-at-rfc3339"),
  };
}

export function witnessGcJson(ids: bigint[]): Json {
  return { op: "witness-gc", ids: ids.map((id) => u64(id, "witness id")) };
}

export function streamJson(r: SecureLogStreamRow): Json {
  return {
    op: "stream",
    name: text(r.name, "name"),
    tier: text(r.tier, "tier"),
    description: optText(r.description, "description"),
    created_at_rfc3339: text(r.createdAtRfc3339, "created-at-rfc3339"),
    deprecated_at_rfc3339: optText(r.deprecatedAtRfc3339, "deprecated-at-rfc3339"),
  };
}

export function streamTierJson(name: string, tier: string): Json {
  return { op: "stream-tier", name: text(name, "name"), tier: text(tier, "tier") };
}

export function streamDeprecateJson(name: string, deprecatedAtRfc3339: string): Json {
  return {
    op: "stream-deprecate",
    name: text(name, "name"),
    deprecated_at_rfc3339: text(deprecatedAtRfc3339, "deprecated-at-rfc3339"),
  };
}

/** One line, without its newline. Undefined values (absent options) are left out. */
export function recordLine(json: Json): string {
  return JSON.stringify(json);
}

// Decoding.

function decodeEntry(f: Fields): FileRecord {
  return {
    op: "entry",
    row: {
      seqno: f.u64("seqno"),
      streamId: f.string("stream_id"),
      sessionId: f.string("session_id"),
      bootId: f.string("boot_id"),
      timestampRfc3339: f.string("timestamp_rfc3339"),
      eventType: f.string("event_type"),
      severity: f.severity("severity"),
      producer: f.string("producer"),
      payloadEncoding: f.string("payload_encoding"),
      payload: f.bytes("payload"),
      prevEntryHash: f.bytes("prev_entry_hash"),
      entryHash: f.bytes("entry_hash"),
    },
  };
}

function decodeSegment(f: Fields): FileRecord {
  const segmentId = f.u64("segment_id");
  const row: SecureLogSegmentRow = {
    streamId: f.string("stream_id"),
    seqStart: f.u64("seq_start"),
    seqEnd: f.u64("seq_end"),
    merkleRoot: f.bytes("merkle_root"),
    lastEntryHash: f.bytes("last_entry_hash"),
    prevCheckpointHash: f.bytes("prev_checkpoint_hash"),
    closedAtRfc3339: f.string("closed_at_rfc3339"),
  };
  const signature = f.optionalBytes("signature");
  const signerIdentity = f.optionalString("signer_identity");
  if (signature !== undefined) row.signature = signature;
  if (signerIdentity !== undefined) row.signerIdentity = signerIdentity;
  const entries = f.array("entries").map((pair, i): SegmentEntry => {
    const where = `segment.entries[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new RecordError(`${where}: expected [seqno, leaf-index]`);
    }
    return [u64FromText(pair[0], `${where}[0]`), u64FromText(pair[1], `${where}[1]`)];
  });
  return { op: "segment", segmentId, row, entries };
}

function decodeWitness(f: Fields): FileRecord {
  return {
    op: "witness",
    id: f.u64("id"),
    row: {
      streamId: f.string("stream_id"),
      segmentId: f.u64("segment_id"),
      seqStart: f.u64("seq_start"),
      seqEnd: f.u64("seq_end"),
      checkpointHashHex: f.string("checkpoint_hash_hex"),
      signatureHex: f.string("signature_hex"),
      signerIdentity: f.string("signer_identity"),
      receivedAtRfc3339: f.string("received_at_rfc3339"),
    },
  };
}

function decodeStream(f: Fields): FileRecord {
  const row: SecureLogStreamRow = {
    name: f.string("name"),
    tier: f.string("tier"),
    createdAtRfc3339: f.string("created_at_rfc3339"),
  };
  const description = f.optionalString("description");
  const deprecatedAtRfc3339 = f.optionalString("deprecated_at_rfc3339");
  if (description !== undefined) row.description = description;
  if (deprecatedAtRfc3339 !== undefined) row.deprecatedAtRfc3339 = deprecatedAtRfc3339;
  return { op: "stream", row };
}

const DECODERS: Record<FileRecord["op"], (f: Fields) => FileRecord> = {
  entry: decodeEntry,
  segment: decodeSegment,
  signature: (f) => ({
    op: "signature",
    segmentId: f.u64("segment_id"),
    signature: f.bytes("signature"),
    signerIdentity: f.string("signer_identity"),
  }),
  witness: decodeWitness,
  "witness-gc": (f) => ({ op: "witness-gc", ids: f.u64Array("ids") }),
  stream: decodeStream,
  "stream-tier": (f) => ({ op: "stream-tier", name: f.string("name"), tier: f.string("tier") }),
  "stream-deprecate": (f) => ({
    op: "stream-deprecate",
    name: f.string("name"),
    deprecatedAtRfc3339: f.string("deprecated_at_rfc3339"),
  }),
};

/** Parses one record line; throws RecordError naming the field at fault. */
export function parseRecord(line: string): FileRecord {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new RecordError(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const top = Fields.of(v, "record");
  const op = top.string("op");
  if (!Object.hasOwn(DECODERS, op)) {
    throw new RecordError(`unknown op ${JSON.stringify(op)}`);
  }
  const f = Fields.of(v, op);
  f.string("op");
  const record = DECODERS[op as FileRecord["op"]](f);
  f.done();
  return record;
}
