// What the end-to-end scenario needs from a stack: the WIT exports of
// secure-log:log/{log,checkpoint}@0.1.0 in jco's JS shape (u64 bigint,
// list<u8> Uint8Array, option undefined), every call async so an in-process
// SecureLog and a transpiled component fit the same interface. A failing call
// rejects with a value whose `payload` is the WIT `log-error`.

import type {
  AppendResult,
  EntryFields,
  InclusionProof,
  SegmentInfo,
  Severity,
  StreamInfo,
} from "../src/core/model";

import type { StoredEntry } from "./stores";

export type { LogError } from "../src/core/errors";
export type { StoredEntry } from "./stores";

export interface StackApi {
  open(config: string): Promise<void>;
  append(
    streamId: string,
    eventType: string,
    severity: Severity,
    producer: string,
    payload: Uint8Array,
  ): Promise<AppendResult>;
  appendWithEncoding(
    streamId: string,
    eventType: string,
    severity: Severity,
    producer: string,
    payload: Uint8Array,
    payloadEncoding: string,
  ): Promise<AppendResult>;
  read(seqno: bigint): Promise<EntryFields>;
  head(streamId: string): Promise<bigint | undefined>;
  verifyChain(streamId: string, fromSeqno: bigint, toSeqno: bigint): Promise<void>;
  closeSegment(streamId: string): Promise<SegmentInfo>;
  listSegments(streamId: string): Promise<SegmentInfo[]>;
  readSegment(segmentId: bigint): Promise<SegmentInfo>;
  buildInclusionProof(seqno: bigint): Promise<InclusionProof>;
  verifyInclusionProof(proof: InclusionProof, expectedRoot: Uint8Array): Promise<void>;
  createStream(streamId: string, tier: string, description: string | undefined): Promise<void>;
  listStreams(): Promise<StreamInfo[]>;
  deprecateStream(streamId: string): Promise<void>;
  signSegment(identity: string, segmentId: bigint): Promise<[Uint8Array, Uint8Array]>;
  verifySegmentSignature(segmentId: bigint): Promise<Uint8Array>;
  verifyCheckpointChain(streamId: string): Promise<number>;
}

/** What one instance is given, as a WASI host gives a component. */
export interface InstanceOptions {
  /** Host directory the instance keeps its data in (its preopened directory). */
  dataDir: string;
  /** The instance's environment; the software keystore reads SECURE_LOG_KEYSTORE_*. */
  env: Record<string, string>;
}

/** A way to run the log: the Node baseline or a composed dist stack. */
export interface Stack {
  /** Shown in reports: "node baseline" or the stack's path. */
  readonly name: string;
  /** The `open` config that puts the store in the instance's data directory. */
  readonly storeConfig: string;
  /** A fresh instance: no state but what it finds in `dataDir`. */
  instantiate(options: InstanceOptions): Promise<StackApi>;
  /**
   * Flips one bit of `entry` where the store keeps it under `dataDir`, leaving
   * the record well formed; returns what it changed.
   */
  tamperEntry(dataDir: string, entry: StoredEntry): Promise<string>;
}
