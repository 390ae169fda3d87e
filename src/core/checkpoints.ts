// The per-stream checkpoint chain (FORMAT §6): hashes recomputed from segment
// rows, signing through the imported keystore, verification, and the
// anti-rollback head (§7.1).

import { buildCheckpointFields } from "./checkpoint-fields";
import { rfc3339 } from "./clock";
import type { LogContext } from "./context";
import { checkpointHash } from "./encoder";
import { errors, SecureLogError } from "./errors";
import { advanceHead, parseHeadFile, parseRecordHash, serializeHeadFile } from "./head-file";
import { bytesEqual, toHex } from "./hex";
import { ZERO_HASH, type SegmentInfo } from "./model";
import { segmentRowToInfo } from "./rows";
import { verifySignature } from "./signatures/verify";
import type { SigningKey } from "./signer";
import { storeCall } from "./store-call";

export interface CheckpointLink {
  segment: SegmentInfo;
  /** The recomputed hash of the stream's previous checkpoint (ZERO_HASH for the first). */
  prev: Uint8Array;
  hash: Uint8Array;
}

export async function getSegment(ctx: LogContext, segmentId: bigint): Promise<SegmentInfo> {
  const row = await storeCall("read segment", () => ctx.store.secureLogSegmentGet(segmentId));
  if (row === undefined) throw errors.segmentNotFound(segmentId);
  return segmentRowToInfo(row);
}

export async function listSegments(ctx: LogContext, streamId: string): Promise<SegmentInfo[]> {
  const rows = await storeCall("list segments", () => ctx.store.secureLogSegmentsList(streamId));
  return rows.map(segmentRowToInfo);
}

/**
 * Walks the stream's segments in id order, recomputing each checkpoint hash
 * from the rows (the stored prev column is not trusted), up to `lastId`.
 * Boot and session come from the segment's last entry.
 */
export async function walkCheckpoints(
  ctx: LogContext,
  streamId: string,
  lastId?: bigint,
): Promise<CheckpointLink[]> {
  const links: CheckpointLink[] = [];
  let prev = ZERO_HASH;
  for (const segment of await listSegments(ctx, streamId)) {
    if (lastId !== undefined && segment.segmentId > lastId) break;
    const last = await storeCall("read entry", () => ctx.store.secureLogGet(segment.seqEnd));
    if (last === undefined) throw errors.entryNotFound(segment.seqEnd);
    const fields = buildCheckpointFields(segment, prev, last.bootId, last.sessionId);
    const hash = await checkpointHash(fields);
    links.push({ segment, prev, hash });
    prev = hash;
  }
  return links;
}

export async function checkpointLink(ctx: LogContext, segmentId: bigint): Promise<CheckpointLink> {
  const segment = await getSegment(ctx, segmentId);
  const link = (await walkCheckpoints(ctx, segment.streamId, segmentId)).at(-1);
  if (link?.segment.segmentId !== segmentId) throw errors.segmentNotFound(segmentId);
  return link;
}

function signerOf(ctx: LogContext) {
  if (ctx.signer === undefined) throw errors.invalid("no keystore is configured for signing");
  return ctx.signer;
}

async function resolveKey(ctx: LogContext, label: string): Promise<SigningKey> {
  try {
    return await signerOf(ctx).getKey(label);
  } catch (e) {
    if (e instanceof SecureLogError) throw e;
    throw errors.invalid(`keystore cannot provide key '${label}': ${signerErrorText(e)}`, e);
  }
}

function signerErrorText(e: unknown): string {
  const p = typeof e === "object" && e !== null && "payload" in e ? e.payload : e;
  if (typeof p === "object" && p !== null && "tag" in p) {
    const v = p as { tag: string; val?: unknown };
    return v.val === undefined ? v.tag : `${v.tag}: ${String(v.val)}`;
  }
  return e instanceof Error ? e.message : String(e);
}

async function checkSignature(ctx: LogContext, link: CheckpointLink): Promise<void> {
  const { segment } = link;
  if (segment.signature === undefined) {
    throw errors.invalid(`segment ${segment.segmentId} is not signed`);
  }
  if (segment.signerIdentity === undefined) {
    throw errors.invalid(`segment ${segment.segmentId} has a signature but no signer identity`);
  }
  const key = await resolveKey(ctx, segment.signerIdentity);
  const ok = await verifySignature(key.algorithm(), key.publicKey(), link.hash, segment.signature);
  if (!ok) {
    throw errors.chainBroken(
      segment.seqEnd,
      `segment ${segment.segmentId}: checkpoint signature does not verify`,
    );
  }
}

/** Signs the checkpoint hash (the 32 bytes, FORMAT §6.2) and advances the head. */
export async function signSegment(
  ctx: LogContext,
  identity: string,
  segmentId: bigint,
): Promise<[Uint8Array, Uint8Array]> {
  const link = await checkpointLink(ctx, segmentId);
  if (link.segment.signature !== undefined) {
    throw errors.invalid(
      `segment ${segmentId} is already signed by '${link.segment.signerIdentity ?? "?"}'`,
    );
  }
  const key = await resolveKey(ctx, identity);
  let signature: Uint8Array;
  try {
    signature = await key.sign(link.hash);
  } catch (e) {
    throw errors.invalid(`sign failed with key '${identity}': ${signerErrorText(e)}`, e);
  }
  // A keystore that returns a bad signature must not get it stored.
  if (!(await verifySignature(key.algorithm(), key.publicKey(), link.hash, signature))) {
    throw errors.invalid(`key '${identity}' produced a signature that does not verify`);
  }
  await storeCall("store signature", () =>
    ctx.store.secureLogSegmentSetSignature(segmentId, signature, identity),
  );
  await advanceStoredHead(ctx, link);
  return [link.hash, signature];
}

async function advanceStoredHead(ctx: LogContext, link: CheckpointLink): Promise<void> {
  const heads = ctx.heads;
  if (heads === undefined) return;
  const file = parseHeadFile(await storeCall("read head file", () => heads.load()));
  const { file: next, moved } = advanceHead(file, {
    streamId: link.segment.streamId,
    segmentId: link.segment.segmentId,
    seqEnd: link.segment.seqEnd,
    checkpointHashHex: toHex(link.hash),
    updatedAtRfc3339: rfc3339(ctx.clock()),
  });
  if (moved) await storeCall("write head file", () => heads.save(serializeHeadFile(next)));
}

export async function verifySegmentSignature(
  ctx: LogContext,
  segmentId: bigint,
): Promise<Uint8Array> {
  const link = await checkpointLink(ctx, segmentId);
  await checkSignature(ctx, link);
  return link.hash;
}

/** Every segment of the stream, in order: stored prev equals the recomputed one, signature valid. */
export async function verifyCheckpointChain(ctx: LogContext, streamId: string): Promise<number> {
  const links = await walkCheckpoints(ctx, streamId);
  if (links.length === 0) throw errors.streamNotFound(streamId);
  for (const link of links) {
    const { segment } = link;
    if (!bytesEqual(segment.prevCheckpointHash, link.prev)) {
      throw errors.chainBroken(
        segment.seqEnd,
        `segment ${segment.segmentId} prev_checkpoint_hash drift: stored=${toHex(segment.prevCheckpointHash)} expected=${toHex(link.prev)}`,
      );
    }
    await checkSignature(ctx, link);
  }
  return links.length;
}

/**
 * The store must still hold the segment the head file records, with the same
 * checkpoint hash and a valid signature; otherwise it was rolled back.
 * Returns false when there is no head record to check against.
 */
export async function checkRollback(ctx: LogContext, streamId: string): Promise<boolean> {
  const heads = ctx.heads;
  if (heads === undefined) return false;
  const file = parseHeadFile(await storeCall("read head file", () => heads.load()));
  const record = file.records.find((r) => r.streamId === streamId);
  if (record === undefined) return false;
  const segments = await listSegments(ctx, streamId);
  const highest = segments.at(-1)?.segmentId ?? 0n;
  if (highest < record.segmentId) {
    throw errors.chainBroken(
      record.seqEnd,
      `rollback detected: head file records segment ${record.segmentId} but database only has up to ${highest}`,
    );
  }
  const recorded = parseRecordHash(record);
  if (typeof recorded === "string") {
    throw errors.storage(`head file record for '${streamId}': ${recorded}`);
  }
  const links = await walkCheckpoints(ctx, streamId, record.segmentId);
  const link = links.at(-1);
  if (link === undefined || link.segment.segmentId !== record.segmentId) {
    throw errors.chainBroken(
      record.seqEnd,
      `rollback detected: segment ${record.segmentId} recorded in the head file is missing from stream '${streamId}'`,
    );
  }
  if (!bytesEqual(link.hash, recorded)) {
    throw errors.chainBroken(
      record.seqEnd,
      `rollback detected: segment ${record.segmentId} recomputes to a different checkpoint hash than head file records`,
    );
  }
  await checkSignature(ctx, link);
  return true;
}
