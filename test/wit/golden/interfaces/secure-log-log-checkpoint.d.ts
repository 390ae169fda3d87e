/** @module Interface secure-log:log/checkpoint@0.1.0 **/
/**
 * Signs the segment's checkpoint hash; returns (checkpoint-hash, signature).
 */
export function signSegment(identity: string, segmentId: bigint): [Uint8Array, Uint8Array];
/**
 * Recomputes the checkpoint hash and checks the stored signature; returns the hash.
 */
export function verifySegmentSignature(segmentId: bigint): Uint8Array;
/**
 * Walks the stream's segments from the first; returns how many were checked.
 */
export function verifyCheckpointChain(streamId: string): number;
export type LogError = import('./secure-log-log-types.js').LogError;
