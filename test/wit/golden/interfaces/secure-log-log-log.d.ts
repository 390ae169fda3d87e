/** @module Interface secure-log:log/log@0.1.0 **/
/**
 * Opens the store; `config` goes to the store verbatim. Empty is an error.
 */
export function open(config: string): void;
/**
 * The log assigns seqno, prev-entry-hash and entry-hash.
 */
export function append(streamId: string, eventType: string, severity: Severity, producer: string, payload: Uint8Array): AppendResult;
/**
 * As append, with the caller's `payload-encoding` tag stored (and hashed) verbatim.
 */
export function appendWithEncoding(streamId: string, eventType: string, severity: Severity, producer: string, payload: Uint8Array, payloadEncoding: string): AppendResult;
export function read(seqno: bigint): EntryFields;
/**
 * Highest seqno of the stream, none when it is empty.
 */
export function head(streamId: string): bigint | undefined;
/**
 * Checks every link and stored hash of the stream between the two seqnos (inclusive).
 */
export function verifyChain(streamId: string, fromSeqno: bigint, toSeqno: bigint): void;
/**
 * Seals everything appended since the last close into a Merkle segment.
 */
export function closeSegment(streamId: string): SegmentInfo;
export function listSegments(streamId: string): Array<SegmentInfo>;
export function readSegment(segmentId: bigint): SegmentInfo;
export function buildInclusionProof(seqno: bigint): InclusionProof;
export function verifyInclusionProof(proof: InclusionProof, expectedRoot: Uint8Array): void;
/**
 * Pins a stream's tier (and description) before its first append.
 */
export function createStream(streamId: string, tier: string, description: string | undefined): void;
/**
 * Every stream, deprecated ones included.
 */
export function listStreams(): Array<StreamInfo>;
/**
 * Refuses further appends; existing entries stay readable and verifiable.
 */
export function deprecateStream(streamId: string): void;
export type EntryFields = import('./secure-log-log-encoder.js').EntryFields;
export type CheckpointFields = import('./secure-log-log-encoder.js').CheckpointFields;
export type Severity = import('./secure-log-log-encoder.js').Severity;
export type LogError = import('./secure-log-log-types.js').LogError;
export interface AppendResult {
  seqno: bigint,
  entryHash: Uint8Array,
}
/**
 * `tier` is "public", "protected" or "highly-restricted";
 * `deprecated-at` is unix seconds, none while the stream is live.
 */
export interface StreamInfo {
  name: string,
  tier: string,
  description?: string,
  deprecatedAt?: bigint,
}
export interface SegmentInfo {
  segmentId: bigint,
  streamId: string,
  seqStart: bigint,
  seqEnd: bigint,
  merkleRoot: Uint8Array,
  lastEntryHash: Uint8Array,
  prevCheckpointHash: Uint8Array,
  closedAtRfc3339: string,
  signature?: Uint8Array,
  signerIdentity?: string,
}
/**
 * `right` is true when the sibling sits to the right of the running hash.
 */
export interface ProofStep {
  siblingHash: Uint8Array,
  right: boolean,
}
/**
 * Sibling hashes from the leaf up.
 */
export interface InclusionProof {
  seqno: bigint,
  entryHash: Uint8Array,
  segmentId: bigint,
  merkleRoot: Uint8Array,
  path: Array<ProofStep>,
}
