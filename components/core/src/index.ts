// The core component (world secure-log:components/core): secure-log:log's
// types, encoder, log and checkpoint, and tegmentum:log/logger, over the
// imported store and keystore. Each function adapts one WIT call to the
// SecureLog; every result export goes through witResult (boundary.ts).

import { ENCODER_NAME, encodeCheckpoint, encodeEntry } from "../../../src/core/encoder";
import { LOGGER_EVENT_TYPE, loggerPayload, loggerStream } from "../../../src/core/logger";
import type { InclusionProof, Severity } from "../../../src/core/model";
import { report, witResult } from "./boundary";
import { openLog, secureLog } from "./instance";

interface LoggerEntry {
  // tegmentum:log's severity has the same names as the encoder's.
  severity: Severity;
  category: string;
  producer: string;
  message: string;
  fields: { key: string; value: string }[];
  timestampRfc3339: string;
}

/** Only types (log-error); nothing callable. */
export const types = {};

// Not results in WIT: a malformed record (a version beyond u32, an unknown
// severity) can only trap.
export const encoder = {
  encodeEntry,
  encodeCheckpoint,
  name: (): string => ENCODER_NAME,
};

export const log = {
  open: (config: string) => witResult(() => openLog(config)),

  append: (
    streamId: string,
    eventType: string,
    severity: Severity,
    producer: string,
    payload: Uint8Array,
  ) => witResult(() => secureLog().append(streamId, eventType, severity, producer, payload)),

  appendWithEncoding: (
    streamId: string,
    eventType: string,
    severity: Severity,
    producer: string,
    payload: Uint8Array,
    payloadEncoding: string,
  ) =>
    witResult(() =>
      secureLog().appendWithEncoding(
        streamId,
        eventType,
        severity,
        producer,
        payload,
        payloadEncoding,
      ),
    ),

  read: (seqno: bigint) => witResult(() => secureLog().read(seqno)),

  head: (streamId: string) => witResult(() => secureLog().head(streamId)),

  verifyChain: (streamId: string, fromSeqno: bigint, toSeqno: bigint) =>
    witResult(() => secureLog().verifyChain(streamId, fromSeqno, toSeqno)),

  closeSegment: (streamId: string) => witResult(() => secureLog().closeSegment(streamId)),

  // WIT gives list-segments no error: a failure is logged and the list is empty.
  listSegments: async (streamId: string) => {
    try {
      return await secureLog().listSegments(streamId);
    } catch (e) {
      report(`list-segments '${streamId}'`, e);
      return [];
    }
  },

  readSegment: (segmentId: bigint) => witResult(() => secureLog().readSegment(segmentId)),

  buildInclusionProof: (seqno: bigint) => witResult(() => secureLog().buildInclusionProof(seqno)),

  verifyInclusionProof: (proof: InclusionProof, expectedRoot: Uint8Array) =>
    witResult(() => secureLog().verifyInclusionProof(proof, expectedRoot)),

  createStream: (streamId: string, tier: string, description: string | undefined) =>
    witResult(() => secureLog().createStream(streamId, tier, description)),

  listStreams: () => witResult(() => secureLog().listStreams()),

  deprecateStream: (streamId: string) => witResult(() => secureLog().deprecateStream(streamId)),
};

export const checkpoint = {
  signSegment: (identity: string, segmentId: bigint) =>
    witResult(() => secureLog().signSegment(identity, segmentId)),

  verifySegmentSignature: (segmentId: bigint) =>
    witResult(() => secureLog().verifySegmentSignature(segmentId)),

  verifyCheckpointChain: (streamId: string) =>
    witResult(() => secureLog().verifyCheckpointChain(streamId)),
};

export const logger = {
  // Fire and forget: the append finishes before the call returns (the export
  // is awaited), and a failure goes to stderr.
  log: async (rec: LoggerEntry): Promise<void> => {
    const stream = loggerStream(rec);
    try {
      await secureLog().append(
        stream,
        LOGGER_EVENT_TYPE,
        rec.severity,
        rec.producer,
        loggerPayload(rec),
      );
    } catch (e) {
      report(`logger.log to stream '${stream}'`, e);
    }
  },

  // Every log call is durable when it returns; nothing is buffered.
  flush: (): void => undefined,

  backendName: (): string => "secure-log:v1",
};
