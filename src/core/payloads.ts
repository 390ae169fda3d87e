// Sealed payloads (FORMAT §8). New entries use our v2 derivation, keyed and
// bound by seqno (docs/design/aead-v2.md); v1 entries written by the reference
// still open with the reference's segment-based rule.

import type { LogContext } from "./context";
import { appendEntry, readEntry } from "./entries";
import { errors } from "./errors";
import { ENCODER_CBOR, type AppendResult, type Severity } from "./model";
import {
  AEAD_NAME_V1,
  AEAD_NAME_V2,
  aadV1,
  aadV2,
  deriveSegmentKey,
  deriveStreamKey,
  entryKeyV2,
  minimizeTag,
  openPayload as aeadOpen,
  sealPayload,
} from "./sealing";
import { storeCall } from "./store-call";
import { streamTier } from "./streams";

function masterKey(ctx: LogContext): Uint8Array {
  if (ctx.masterKey === undefined) throw errors.invalid("no payload master key is configured");
  return ctx.masterKey;
}

export async function appendSealed(
  ctx: LogContext,
  streamId: string,
  eventType: string,
  severity: Severity,
  producer: string,
  plaintext: Uint8Array,
): Promise<AppendResult> {
  const master = masterKey(ctx);
  const tier = await streamTier(ctx, streamId);
  const minimize = tier === "highly-restricted";
  return appendEntry(ctx, {
    streamId,
    eventType: minimize ? await minimizeTag(master, streamId, "event_type", eventType) : eventType,
    severity,
    producer: minimize ? await minimizeTag(master, streamId, "producer", producer) : producer,
    payloadEncoding: AEAD_NAME_V2,
    payload: async (seqno) =>
      sealPayload(
        await entryKeyV2(master, streamId, tier, seqno),
        aadV2(streamId, tier, seqno),
        plaintext,
      ),
  });
}

/** The v1 rule: the entry's segment, or (the stream's highest segment id + 1) while unsealed. */
async function v1SegmentFor(ctx: LogContext, streamId: string, seqno: bigint): Promise<bigint> {
  const sealedIn = await storeCall("find segment", () => ctx.store.secureLogSegmentForSeqno(seqno));
  if (sealedIn !== undefined) return sealedIn;
  const segments = await storeCall("list segments", () =>
    ctx.store.secureLogSegmentsList(streamId),
  );
  return (segments.at(-1)?.segmentId ?? 0n) + 1n;
}

/** The plaintext of an entry: sealed payloads are opened, others returned as stored. */
export async function openPayload(ctx: LogContext, seqno: bigint): Promise<Uint8Array> {
  const entry = await readEntry(ctx, seqno);
  const encoding = entry.payloadEncoding;
  if (encoding !== AEAD_NAME_V1 && encoding !== AEAD_NAME_V2) {
    if (encoding === ENCODER_CBOR || !encoding.startsWith("cbor+aead")) return entry.payload;
    throw errors.invalid(`unknown payload_encoding: '${encoding}'`);
  }
  const master = masterKey(ctx);
  const tier = await streamTier(ctx, entry.streamId);
  if (encoding === AEAD_NAME_V2) {
    const key = await entryKeyV2(master, entry.streamId, tier, seqno);
    return aeadOpen(key, aadV2(entry.streamId, tier, seqno), entry.payload);
  }
  const segmentId = await v1SegmentFor(ctx, entry.streamId, seqno);
  const key = await deriveSegmentKey(
    await deriveStreamKey(master, entry.streamId, tier),
    segmentId,
  );
  return aeadOpen(key, aadV1(entry.streamId, tier, segmentId), entry.payload);
}
