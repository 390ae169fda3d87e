/** @module Interface secure-log:log/types@0.1.0 **/
/**
 * Where a chain link failed and why.
 */
export interface ChainBrokenDetail {
  seqno: bigint,
  reason: string,
}
/**
 * The seqno whose proof did not rebuild the root, and the segment it claimed.
 */
export interface InclusionMismatchDetail {
  seqno: bigint,
  segmentId: bigint,
}
export type LogError = LogErrorEntryNotFound | LogErrorStreamNotFound | LogErrorChainBroken | LogErrorInclusionMismatch | LogErrorSegmentNotFound | LogErrorSegmentAlreadyClosed | LogErrorEmptySegment | LogErrorNotImplemented | LogErrorStorage | LogErrorEncoding | LogErrorInvalid;
/**
 * No entry has this seqno.
 */
export interface LogErrorEntryNotFound {
  tag: 'entry-not-found',
  val: bigint,
}
/**
 * The stream has no rows (or no segments) to work on.
 */
export interface LogErrorStreamNotFound {
  tag: 'stream-not-found',
  val: string,
}
/**
 * A hash link, a stored hash, a signature or a head record disagrees.
 */
export interface LogErrorChainBroken {
  tag: 'chain-broken',
  val: ChainBrokenDetail,
}
/**
 * An inclusion proof does not fold up to the expected root.
 */
export interface LogErrorInclusionMismatch {
  tag: 'inclusion-mismatch',
  val: InclusionMismatchDetail,
}
/**
 * No segment has this id.
 */
export interface LogErrorSegmentNotFound {
  tag: 'segment-not-found',
  val: bigint,
}
/**
 * The segment is closed already.
 */
export interface LogErrorSegmentAlreadyClosed {
  tag: 'segment-already-closed',
  val: bigint,
}
/**
 * Nothing was appended to the stream since its last segment.
 */
export interface LogErrorEmptySegment {
  tag: 'empty-segment',
  val: string,
}
/**
 * The backend does not offer this operation.
 */
export interface LogErrorNotImplemented {
  tag: 'not-implemented',
}
/**
 * The store failed; the text is its diagnostic.
 */
export interface LogErrorStorage {
  tag: 'storage',
  val: string,
}
/**
 * The encoder failed; the text is its diagnostic.
 */
export interface LogErrorEncoding {
  tag: 'encoding',
  val: string,
}
/**
 * The caller's input was malformed.
 */
export interface LogErrorInvalid {
  tag: 'invalid',
  val: string,
}
