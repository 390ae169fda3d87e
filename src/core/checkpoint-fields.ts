// A closed segment's checkpoint fields (FORMAT §6.1), as the reference's
// `checkpoint::build_fields`: boot before session, timestamp = the close time.

import { CHECKPOINT_VERSION, ZERO_HASH, type CheckpointFields, type SegmentInfo } from "./model";

/**
 * `prevCheckpointHash` is the recomputed hash of the stream's previous segment
 * (ZERO_HASH for its first); the segment's stored column is deliberately not used.
 * `bootId` and `sessionId` are those of the segment's last entry.
 */
export function buildCheckpointFields(
  segment: SegmentInfo,
  prevCheckpointHash: Uint8Array,
  bootId: string,
  sessionId: string,
  policyHash: Uint8Array = ZERO_HASH.slice(),
): CheckpointFields {
  return {
    version: CHECKPOINT_VERSION,
    streamId: segment.streamId,
    segmentId: segment.segmentId,
    seqStart: segment.seqStart,
    seqEnd: segment.seqEnd,
    merkleRoot: segment.merkleRoot,
    lastEntryHash: segment.lastEntryHash,
    prevCheckpointHash,
    bootId,
    sessionId,
    policyHash,
    timestampRfc3339: segment.closedAtRfc3339,
  };
}
