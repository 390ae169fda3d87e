// Each table's columns in one order, used for both writing (?1, ?2, … in that
// order) and reading (positional), and the conversions to and from the
// store's row types: fresh objects and byte copies, undefined for NULL,
// bigint for u64.

import { SEVERITIES, type Severity } from "../../core/model";
import type {
  SecureLogRow,
  SecureLogSegmentRow,
  SecureLogStreamRow,
  WitnessLogRow,
} from "../../core/store";
import type { SqlValue } from "./engine";
import { SqliteStoreError } from "./errors";
import {
  blob,
  optBlob,
  optText,
  readBlob,
  readOptBlob,
  readOptText,
  readText,
  readU64,
  text,
  u64,
} from "./values";

const params = (n: number) => Array.from({ length: n }, (_, i) => `?${i + 1}`).join(", ");

export const ENTRY_COLUMNS =
  "seqno, stream_id, session_id, boot_id, timestamp, event_type, severity, producer, " +
  "payload_encoding, payload, prev_entry_hash, entry_hash";
export const ENTRY_PARAMS = params(12);

export function entryValues(seqno: bigint, r: SecureLogRow): SqlValue[] {
  return [
    u64("seqno", seqno),
    text(r.streamId),
    text(r.sessionId),
    text(r.bootId),
    text(r.timestampRfc3339),
    text(r.eventType),
    text(r.severity),
    text(r.producer),
    text(r.payloadEncoding),
    blob(r.payload),
    blob(r.prevEntryHash),
    blob(r.entryHash),
  ];
}

const SEVERITY_SET: ReadonlySet<string> = new Set(SEVERITIES);

function severity(v: SqlValue | undefined): Severity {
  return checkSeverity(readText(v, "secure_log.severity"));
}

function checkSeverity(s: string): Severity {
  if (SEVERITY_SET.has(s)) return s as Severity;
  throw new SqliteStoreError(
    "corrupt",
    `secure_log.severity holds ${JSON.stringify(s)}, not one of ${SEVERITIES.join(", ")}`,
  );
}

export function entryFrom(c: SqlValue[]): SecureLogRow {
  return {
    seqno: readU64(c[0], "secure_log.seqno"),
    streamId: readText(c[1], "secure_log.stream_id"),
    sessionId: readText(c[2], "secure_log.session_id"),
    bootId: readText(c[3], "secure_log.boot_id"),
    timestampRfc3339: readText(c[4], "secure_log.timestamp"),
    eventType: readText(c[5], "secure_log.event_type"),
    severity: severity(c[6]),
    producer: readText(c[7], "secure_log.producer"),
    payloadEncoding: readText(c[8], "secure_log.payload_encoding"),
    payload: readBlob(c[9], "secure_log.payload"),
    prevEntryHash: readBlob(c[10], "secure_log.prev_entry_hash"),
    entryHash: readBlob(c[11], "secure_log.entry_hash"),
  };
}

// The entry reads (get, range, last) cross the engine boundary packed: each
// value lifted into this component costs a variant object and its payload, and
// in StarlingMonkey that was most of a range read's time per row. So a row
// comes as 3 values instead of 12: seqno; the eight text columns and the three
// blobs' lengths as one JSON array, which SQLite writes and the native
// JSON.parse reads back exactly; and the three blobs as one. The array is NULL
// unless every text column holds text and every blob column a blob, and then
// (or when the lengths do not add up) the row is read again unpacked
// (ENTRY_COLUMNS, entryFrom), so a wrong type still fails naming its column.
// The bytes are the stored bytes: an edited one still shows as a wrong hash.
const PACKED_TEXT =
  "stream_id, session_id, boot_id, timestamp, event_type, severity, producer, payload_encoding";
const TYPES_HOLD = [
  ...PACKED_TEXT.split(", ").map((c) => `typeof(${c}) = 'text'`),
  ...["payload", "prev_entry_hash", "entry_hash"].map((c) => `typeof(${c}) = 'blob'`),
].join(" AND ");
export const ENTRY_PACKED_COLUMNS =
  `seqno, CASE WHEN ${TYPES_HOLD} THEN json_array(${PACKED_TEXT}, ` +
  "length(payload), length(prev_entry_hash), length(entry_hash)) END AS texts, " +
  "CAST(payload || prev_entry_hash || entry_hash AS BLOB) AS bytes";

type Packed = [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  number,
  number,
];

/**
 * A row of ENTRY_PACKED_COLUMNS, or undefined when it did not pack (read it
 * unpacked). Checks seqno and severity as entryFrom does, with its messages.
 */
export function entryFromPacked(c: SqlValue[]): SecureLogRow | undefined {
  const packed = c[1];
  const bytes = c[2];
  if (packed?.tag !== "text" || bytes?.tag !== "blob") return undefined;
  const t = JSON.parse(packed.val) as Packed;
  const b = bytes.val;
  const prev = t[8];
  const hash = prev + t[9];
  if (b.length !== hash + t[10]) return undefined;
  const seqno = readU64(c[0], "secure_log.seqno");
  return {
    seqno,
    streamId: t[0],
    sessionId: t[1],
    bootId: t[2],
    timestampRfc3339: t[3],
    eventType: t[4],
    severity: checkSeverity(t[5]),
    producer: t[6],
    payloadEncoding: t[7],
    // Copies in this realm, as readBlob's.
    payload: new Uint8Array(b.subarray(0, prev)),
    prevEntryHash: new Uint8Array(b.subarray(prev, hash)),
    entryHash: new Uint8Array(b.subarray(hash)),
  };
}

/** Without segment_id, which the store assigns. */
export const SEGMENT_COLUMNS =
  "stream_id, seq_start, seq_end, merkle_root, last_entry_hash, prev_checkpoint_hash, " +
  "closed_at, signature, signer_identity";
export const SEGMENT_PARAMS = params(9);

export function segmentValues(r: SecureLogSegmentRow): SqlValue[] {
  return [
    text(r.streamId),
    u64("seq-start", r.seqStart),
    u64("seq-end", r.seqEnd),
    blob(r.merkleRoot),
    blob(r.lastEntryHash),
    blob(r.prevCheckpointHash),
    text(r.closedAtRfc3339),
    optBlob(r.signature),
    optText(r.signerIdentity),
  ];
}

/** From `segment_id, <SEGMENT_COLUMNS>`. */
export function segmentFrom(c: SqlValue[]): SecureLogSegmentRow {
  const t = "secure_log_segments";
  return {
    segmentId: readU64(c[0], `${t}.segment_id`),
    streamId: readText(c[1], `${t}.stream_id`),
    seqStart: readU64(c[2], `${t}.seq_start`),
    seqEnd: readU64(c[3], `${t}.seq_end`),
    merkleRoot: readBlob(c[4], `${t}.merkle_root`),
    lastEntryHash: readBlob(c[5], `${t}.last_entry_hash`),
    prevCheckpointHash: readBlob(c[6], `${t}.prev_checkpoint_hash`),
    closedAtRfc3339: readText(c[7], `${t}.closed_at`),
    signature: readOptBlob(c[8], `${t}.signature`),
    signerIdentity: readOptText(c[9], `${t}.signer_identity`),
  };
}

/** Without id, which the store assigns. */
export const WITNESS_COLUMNS =
  "stream_id, segment_id, seq_start, seq_end, checkpoint_hash_hex, signature_hex, " +
  "signer_identity, received_at";
export const WITNESS_PARAMS = params(8);

export function witnessValues(r: WitnessLogRow): SqlValue[] {
  return [
    text(r.streamId),
    u64("witness segment-id", r.segmentId),
    u64("witness seq-start", r.seqStart),
    u64("witness seq-end", r.seqEnd),
    text(r.checkpointHashHex),
    text(r.signatureHex),
    text(r.signerIdentity),
    text(r.receivedAtRfc3339),
  ];
}

/** From `id, <WITNESS_COLUMNS>`. */
export function witnessFrom(c: SqlValue[]): WitnessLogRow {
  const t = "witness_log";
  return {
    id: readU64(c[0], `${t}.id`),
    streamId: readText(c[1], `${t}.stream_id`),
    segmentId: readU64(c[2], `${t}.segment_id`),
    seqStart: readU64(c[3], `${t}.seq_start`),
    seqEnd: readU64(c[4], `${t}.seq_end`),
    checkpointHashHex: readText(c[5], `${t}.checkpoint_hash_hex`),
    signatureHex: readText(c[6], `${t}.signature_hex`),
    signerIdentity: readText(c[7], `${t}.signer_identity`),
    receivedAtRfc3339: readText(c[8], `${t}.received_at`),
  };
}

export const STREAM_COLUMNS = "name, tier, description, created_at, deprecated_at";

export function streamValues(r: SecureLogStreamRow): SqlValue[] {
  return [
    text(r.name),
    text(r.tier),
    optText(r.description),
    text(r.createdAtRfc3339),
    optText(r.deprecatedAtRfc3339),
  ];
}

export function streamFrom(c: SqlValue[]): SecureLogStreamRow {
  const t = "secure_log_streams";
  return {
    name: readText(c[0], `${t}.name`),
    tier: readText(c[1], `${t}.tier`),
    description: readOptText(c[2], `${t}.description`),
    createdAtRfc3339: readText(c[3], `${t}.created_at`),
    deprecatedAtRfc3339: readOptText(c[4], `${t}.deprecated_at`),
  };
}
