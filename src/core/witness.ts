// Witness submission and receipt (FORMAT §7.2): compact serde_json in field
// order, u64 as bare numbers. Parsing is strict about types and hex, and the
// checkpoint comparison ignores hex case (the reference compares strings, §10.5).

import { errors } from "./errors";
import { HASH_LEN, U64_MAX } from "./model";
import { bytesEqual, parseHex, parseHexExact } from "./hex";
import { JsonFields, jsonString, parseJson } from "./json";

export interface WitnessSubmission {
  streamId: string;
  segmentId: bigint;
  seqStart: bigint;
  seqEnd: bigint;
  checkpointHashHex: string;
  signatureHex: string;
  signerIdentity: string;
}

export interface WitnessReceipt {
  streamId: string;
  segmentId: bigint;
  checkpointHashHex: string;
  accepted: boolean;
  reason: string | null;
  receivedAtRfc3339: string;
}

function u64(n: bigint, field: string): string {
  if (n < 0n || n > U64_MAX) throw errors.invalid(`${field} out of u64 range: ${n}`);
  return n.toString(10);
}

export function serializeSubmission(s: WitnessSubmission): string {
  return (
    `{"stream_id":${jsonString(s.streamId)}` +
    `,"segment_id":${u64(s.segmentId, "segment_id")}` +
    `,"seq_start":${u64(s.seqStart, "seq_start")}` +
    `,"seq_end":${u64(s.seqEnd, "seq_end")}` +
    `,"checkpoint_hash_hex":${jsonString(s.checkpointHashHex)}` +
    `,"signature_hex":${jsonString(s.signatureHex)}` +
    `,"signer_identity":${jsonString(s.signerIdentity)}}`
  );
}

export function serializeReceipt(r: WitnessReceipt): string {
  return (
    `{"stream_id":${jsonString(r.streamId)}` +
    `,"segment_id":${u64(r.segmentId, "segment_id")}` +
    `,"checkpoint_hash_hex":${jsonString(r.checkpointHashHex)}` +
    `,"accepted":${r.accepted}` +
    `,"reason":${r.reason === null ? "null" : jsonString(r.reason)}` +
    `,"received_at_rfc3339":${jsonString(r.receivedAtRfc3339)}}`
  );
}

function fields(text: string, what: string): JsonFields {
  const fail = (msg: string) => errors.invalid(`${what}: ${msg}`);
  return JsonFields.of(parseJson(text, fail), "", fail);
}

function checkHex(what: string, field: string, text: string, length?: number): string {
  const r = length === undefined ? parseHex(text) : parseHexExact(text, length);
  if (typeof r === "string") throw errors.invalid(`${what}: ${field}: ${r}`);
  return text;
}

export function parseSubmission(text: string): WitnessSubmission {
  const what = "witness submission";
  const f = fields(text, what);
  return {
    streamId: f.string("stream_id"),
    segmentId: f.u64("segment_id"),
    seqStart: f.u64("seq_start"),
    seqEnd: f.u64("seq_end"),
    checkpointHashHex: checkHex(
      what,
      "checkpoint_hash_hex",
      f.string("checkpoint_hash_hex"),
      HASH_LEN,
    ),
    signatureHex: checkHex(what, "signature_hex", f.string("signature_hex")),
    signerIdentity: f.string("signer_identity"),
  };
}

export function parseReceipt(text: string): WitnessReceipt {
  const what = "witness receipt";
  const f = fields(text, what);
  return {
    streamId: f.string("stream_id"),
    segmentId: f.u64("segment_id"),
    checkpointHashHex: checkHex(
      what,
      "checkpoint_hash_hex",
      f.string("checkpoint_hash_hex"),
      HASH_LEN,
    ),
    accepted: f.bool("accepted"),
    reason: f.optionalString("reason"),
    receivedAtRfc3339: f.string("received_at_rfc3339"),
  };
}

/** True when the remote hex denotes the local hash, in either case; malformed hex never matches. */
export function compareCheckpointHex(remoteHex: string, local: Uint8Array): boolean {
  const remote = parseHexExact(remoteHex, HASH_LEN);
  return typeof remote !== "string" && bytesEqual(remote, local);
}
