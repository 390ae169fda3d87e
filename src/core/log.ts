// SecureLog: the whole log over a store, a keystore and a clock. Pure logic,
// no I/O of its own, usable in Node and inside a componentize-js component.
// Each method maps to one WIT function (or one extension beyond 0.1.0).

import * as checkpoints from "./checkpoints";
import { systemClock, type Clock } from "./clock";
import type { LogContext, WriterIdentity } from "./context";
import * as entries from "./entries";
import { errors } from "./errors";
import type { HeadStorage } from "./head-file";
import {
  ENCODER_CBOR,
  type AppendResult,
  type EntryFields,
  type InclusionProof,
  type SegmentInfo,
  type Severity,
  type StreamInfo,
} from "./model";
import * as payloads from "./payloads";
import * as segments from "./segments";
import type { Signer } from "./signer";
import type { Store } from "./store";
import { storeCall } from "./store-call";
import * as streams from "./streams";
import type { WitnessReceipt, WitnessSubmission } from "./witness";
import * as witnessing from "./witnessing";

export interface SecureLogOptions {
  store: Store;
  signer?: Signer;
  heads?: HeadStorage;
  /** 32-byte master key for sealed payloads. */
  masterKey?: Uint8Array;
  clock?: Clock;
  sessionId?: string;
  bootId?: string;
}

export class SecureLog {
  private readonly ctx: LogContext;
  private writerIdentity?: WriterIdentity;
  // Writes run one at a time: seqno assignment reads the head, then inserts.
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SecureLogOptions) {
    if (options.masterKey !== undefined && options.masterKey.length !== 32) {
      throw errors.invalid(`payload master key must be 32 bytes, got ${options.masterKey.length}`);
    }
    this.ctx = {
      store: options.store,
      clock: options.clock ?? systemClock,
      writer: () => this.writer(),
      signer: options.signer,
      heads: options.heads,
      masterKey: options.masterKey,
    };
  }

  /** Session ids are drawn on first use, never at build time. */
  private writer(): WriterIdentity {
    this.writerIdentity ??= {
      sessionId: this.options.sessionId ?? crypto.randomUUID(),
      bootId: this.options.bootId ?? `rand-${crypto.randomUUID()}`,
    };
    return this.writerIdentity;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);
    return run;
  }

  async open(config: string): Promise<void> {
    if (config.trim().length === 0) {
      throw errors.invalid("open: config must not be empty (give the store's path or locator)");
    }
    await storeCall("open store", () => this.ctx.store.init(config));
  }

  append(
    streamId: string,
    eventType: string,
    severity: Severity,
    producer: string,
    payload: Uint8Array,
  ): Promise<AppendResult> {
    return this.appendWithEncoding(streamId, eventType, severity, producer, payload, ENCODER_CBOR);
  }

  appendWithEncoding(
    streamId: string,
    eventType: string,
    severity: Severity,
    producer: string,
    payload: Uint8Array,
    payloadEncoding: string,
  ): Promise<AppendResult> {
    return this.exclusive(() =>
      entries.appendEntry(this.ctx, {
        streamId,
        eventType,
        severity,
        producer,
        payloadEncoding,
        payload: () => payload,
      }),
    );
  }

  /** Seals the payload with the stream's tier key (extension; FORMAT §8). */
  appendSealed(
    streamId: string,
    eventType: string,
    severity: Severity,
    producer: string,
    plaintext: Uint8Array,
  ): Promise<AppendResult> {
    return this.exclusive(() =>
      payloads.appendSealed(this.ctx, streamId, eventType, severity, producer, plaintext),
    );
  }

  openPayload(seqno: bigint): Promise<Uint8Array> {
    return payloads.openPayload(this.ctx, seqno);
  }

  read(seqno: bigint): Promise<EntryFields> {
    return entries.readEntry(this.ctx, seqno);
  }

  head(streamId: string): Promise<bigint | undefined> {
    return storeCall("read head", () => this.ctx.store.secureLogHead(streamId));
  }

  async verifyChain(streamId: string, fromSeqno: bigint, toSeqno: bigint): Promise<void> {
    await entries.verifyChain(this.ctx, streamId, fromSeqno, toSeqno);
  }

  closeSegment(streamId: string): Promise<SegmentInfo> {
    return this.exclusive(() => segments.closeSegment(this.ctx, streamId));
  }

  listSegments(streamId: string): Promise<SegmentInfo[]> {
    return checkpoints.listSegments(this.ctx, streamId);
  }

  readSegment(segmentId: bigint): Promise<SegmentInfo> {
    return checkpoints.getSegment(this.ctx, segmentId);
  }

  buildInclusionProof(seqno: bigint): Promise<InclusionProof> {
    return segments.buildInclusionProof(this.ctx, seqno);
  }

  verifyInclusionProof(proof: InclusionProof, expectedRoot: Uint8Array): Promise<void> {
    return segments.verifyInclusionProof(proof, expectedRoot);
  }

  /** Audits every sealed segment against its entries (extension). */
  verifySegments(streamId: string): Promise<number> {
    return segments.verifySegments(this.ctx, streamId);
  }

  createStream(streamId: string, tier: string, description: string | undefined): Promise<void> {
    return this.exclusive(() => streams.createStream(this.ctx, streamId, tier, description));
  }

  listStreams(): Promise<StreamInfo[]> {
    return streams.listStreams(this.ctx);
  }

  deprecateStream(streamId: string): Promise<void> {
    return this.exclusive(() => streams.deprecateStream(this.ctx, streamId));
  }

  signSegment(identity: string, segmentId: bigint): Promise<[Uint8Array, Uint8Array]> {
    return this.exclusive(() => checkpoints.signSegment(this.ctx, identity, segmentId));
  }

  verifySegmentSignature(segmentId: bigint): Promise<Uint8Array> {
    return checkpoints.verifySegmentSignature(this.ctx, segmentId);
  }

  verifyCheckpointChain(streamId: string): Promise<number> {
    return checkpoints.verifyCheckpointChain(this.ctx, streamId);
  }

  /** True when a head record was checked, false when there is none (FORMAT §7.1). */
  checkRollback(streamId: string): Promise<boolean> {
    return checkpoints.checkRollback(this.ctx, streamId);
  }

  buildWitnessSubmission(streamId: string): Promise<WitnessSubmission> {
    return witnessing.buildWitnessSubmission(this.ctx, streamId);
  }

  verifyAgainstWitness(submission: WitnessSubmission): Promise<witnessing.WitnessAgreement> {
    return witnessing.verifyAgainstWitness(this.ctx, submission);
  }

  /** Acting as a witness for another node's checkpoints. */
  receiveWitnessSubmission(submission: WitnessSubmission): Promise<WitnessReceipt> {
    return this.exclusive(() => witnessing.receiveSubmission(this.ctx, submission));
  }
}
