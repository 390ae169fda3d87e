/** @module Interface secure-log:log/encoder@0.1.0 **/
/**
 * Deterministic: equal fields give equal bytes.
 */
export function encodeEntry(fields: EntryFields): Uint8Array;
export function encodeCheckpoint(fields: CheckpointFields): Uint8Array;
/**
 * The encoder's identity, the default `payload-encoding` ("cbor").
 */
export function name(): string;
/**
 * RFC 5424 order; only the lowercase name is ever hashed.
 * # Variants
 * 
 * ## `"emergency"`
 * 
 * ## `"alert"`
 * 
 * ## `"critical"`
 * 
 * ## `"error"`
 * 
 * ## `"warning"`
 * 
 * ## `"notice"`
 * 
 * ## `"info"`
 * 
 * ## `"debug"`
 */
export type Severity = 'emergency' | 'alert' | 'critical' | 'error' | 'warning' | 'notice' | 'info' | 'debug';
/**
 * One entry as it is encoded (the hash itself is not part of it).
 * `prev-entry-hash` is 32 zero bytes for a stream's first entry.
 */
export interface EntryFields {
  version: number,
  streamId: string,
  sessionId: string,
  bootId: string,
  seqno: bigint,
  timestampRfc3339: string,
  eventType: string,
  severity: Severity,
  producer: string,
  payloadEncoding: string,
  payload: Uint8Array,
  prevEntryHash: Uint8Array,
}
/**
 * One segment checkpoint as it is encoded. Note boot before session here,
 * the reverse of entry-fields.
 */
export interface CheckpointFields {
  version: number,
  streamId: string,
  segmentId: bigint,
  seqStart: bigint,
  seqEnd: bigint,
  merkleRoot: Uint8Array,
  lastEntryHash: Uint8Array,
  prevCheckpointHash: Uint8Array,
  bootId: string,
  sessionId: string,
  policyHash: Uint8Array,
  timestampRfc3339: string,
}
