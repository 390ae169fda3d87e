/** @module Interface secure-log:log/store@0.1.0 **/
/**
 * Locator of the backing store (a database path, a file path, an endpoint).
 * Must succeed before any other call; empty is an error.
 */
export function init(config: string): void;
/**
 * Entries. Seqnos are global across streams and start at 1.
 */
export function secureLogInsert(row: SecureLogRow): bigint;
export function secureLogGlobalHead(): bigint | undefined;
export function secureLogGet(seqno: bigint): SecureLogRow | undefined;
export function secureLogRange(streamId: string, fromSeqno: bigint, toSeqno: bigint): Array<SecureLogRow>;
export function secureLogHead(streamId: string): bigint | undefined;
export function secureLogLast(streamId: string): SecureLogRow | undefined;
/**
 * Segments. Ids are global across streams and start at 1.
 */
export function secureLogSegmentInsert(row: SecureLogSegmentRow, entries: Array<SegmentEntry>): bigint;
export function secureLogSegmentGet(segmentId: bigint): SecureLogSegmentRow | undefined;
export function secureLogSegmentsList(streamId: string): Array<SecureLogSegmentRow>;
export function secureLogSegmentLastSeqno(streamId: string): bigint | undefined;
export function secureLogSegmentEntrySeqnos(segmentId: bigint): BigUint64Array;
export function secureLogSegmentForSeqno(seqno: bigint): bigint | undefined;
export function secureLogSegmentSetSignature(segmentId: bigint, signature: Uint8Array, signerIdentity: string): void;
/**
 * Witness log.
 */
export function witnessLogInsert(row: WitnessLogRow): bigint;
export function witnessLogLatest(streamId: string): WitnessLogRow | undefined;
export function witnessLogList(streamId: string): Array<WitnessLogRow>;
export function witnessLogStreamIds(): Array<string>;
/**
 * Deletes rows of one stream (or all) that are neither among the newest
 * `keep-latest` nor newer than `older-than-rfc3339`; returns the count.
 */
export function witnessLogGc(streamId: string | undefined, keepLatest: number | undefined, olderThanRfc3339: string | undefined): number;
/**
 * Stream metadata.
 */
export function secureLogStreamUpsert(row: SecureLogStreamRow): void;
export function secureLogStreamGet(name: string): SecureLogStreamRow | undefined;
export function secureLogStreamList(): Array<SecureLogStreamRow>;
export function secureLogStreamSetTier(name: string, tier: string): void;
export function secureLogStreamDeprecate(name: string, deprecatedAtRfc3339: string): void;
export type Severity = import('./secure-log-log-encoder.js').Severity;
/**
 * An entry row. `seqno` is some(n) on every row the log writes and reads.
 */
export interface SecureLogRow {
  seqno?: bigint,
  streamId: string,
  sessionId: string,
  bootId: string,
  timestampRfc3339: string,
  eventType: string,
  severity: Severity,
  producer: string,
  payloadEncoding: string,
  payload: Uint8Array,
  prevEntryHash: Uint8Array,
  entryHash: Uint8Array,
}
/**
 * A sealed segment. `segment-id` is none on insert (the store assigns it).
 */
export interface SecureLogSegmentRow {
  segmentId?: bigint,
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
export interface SecureLogStreamRow {
  name: string,
  tier: string,
  description?: string,
  createdAtRfc3339: string,
  deprecatedAtRfc3339?: string,
}
/**
 * A checkpoint received from (or sent to) a witness. `id` is none on insert.
 */
export interface WitnessLogRow {
  id?: bigint,
  streamId: string,
  segmentId: bigint,
  seqStart: bigint,
  seqEnd: bigint,
  checkpointHashHex: string,
  signatureHex: string,
  signerIdentity: string,
  receivedAtRfc3339: string,
}
/**
 * (seqno, leaf-index) of one segment member.
 */
export type SegmentEntry = [bigint, bigint];
