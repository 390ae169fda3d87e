// The store as the core sees it: the WIT `secure-log:log/store` interface in
// jco's JS shape. A failing call throws (jco throws the WIT `err` string as the
// payload of a ComponentError); the core reports it as `log-error::storage`.
// Calls may return a value or a promise, so in-process and remote stores both fit.

import type { Severity } from "./model";

export interface SecureLogRow {
  seqno?: bigint;
  streamId: string;
  sessionId: string;
  bootId: string;
  timestampRfc3339: string;
  eventType: string;
  severity: Severity;
  producer: string;
  payloadEncoding: string;
  payload: Uint8Array;
  prevEntryHash: Uint8Array;
  entryHash: Uint8Array;
}

export interface SecureLogSegmentRow {
  segmentId?: bigint;
  streamId: string;
  seqStart: bigint;
  seqEnd: bigint;
  merkleRoot: Uint8Array;
  lastEntryHash: Uint8Array;
  prevCheckpointHash: Uint8Array;
  closedAtRfc3339: string;
  signature?: Uint8Array;
  signerIdentity?: string;
}

export interface SecureLogStreamRow {
  name: string;
  tier: string;
  description?: string;
  createdAtRfc3339: string;
  deprecatedAtRfc3339?: string;
}

export interface WitnessLogRow {
  id?: bigint;
  streamId: string;
  segmentId: bigint;
  seqStart: bigint;
  seqEnd: bigint;
  checkpointHashHex: string;
  signatureHex: string;
  signerIdentity: string;
  receivedAtRfc3339: string;
}

/** (seqno, leaf-index) */
export type SegmentEntry = [bigint, bigint];

type R<T> = T | Promise<T>;

export interface Store {
  init(config: string): R<void>;

  secureLogInsert(row: SecureLogRow): R<bigint>;
  secureLogGlobalHead(): R<bigint | undefined>;
  secureLogGet(seqno: bigint): R<SecureLogRow | undefined>;
  secureLogRange(streamId: string, fromSeqno: bigint, toSeqno: bigint): R<SecureLogRow[]>;
  secureLogHead(streamId: string): R<bigint | undefined>;
  secureLogLast(streamId: string): R<SecureLogRow | undefined>;

  secureLogSegmentInsert(row: SecureLogSegmentRow, entries: SegmentEntry[]): R<bigint>;
  secureLogSegmentGet(segmentId: bigint): R<SecureLogSegmentRow | undefined>;
  secureLogSegmentsList(streamId: string): R<SecureLogSegmentRow[]>;
  secureLogSegmentLastSeqno(streamId: string): R<bigint | undefined>;
  secureLogSegmentEntrySeqnos(segmentId: bigint): R<bigint[]>;
  secureLogSegmentForSeqno(seqno: bigint): R<bigint | undefined>;
  secureLogSegmentSetSignature(
    segmentId: bigint,
    signature: Uint8Array,
    signerIdentity: string,
  ): R<void>;

  witnessLogInsert(row: WitnessLogRow): R<bigint>;
  witnessLogLatest(streamId: string): R<WitnessLogRow | undefined>;
  witnessLogList(streamId: string): R<WitnessLogRow[]>;
  witnessLogStreamIds(): R<string[]>;
  witnessLogGc(
    streamId: string | undefined,
    keepLatest: number | undefined,
    olderThanRfc3339: string | undefined,
  ): R<number>;

  secureLogStreamUpsert(row: SecureLogStreamRow): R<void>;
  secureLogStreamGet(name: string): R<SecureLogStreamRow | undefined>;
  secureLogStreamList(): R<SecureLogStreamRow[]>;
  secureLogStreamSetTier(name: string, tier: string): R<void>;
  secureLogStreamDeprecate(name: string, deprecatedAtRfc3339: string): R<void>;
}
