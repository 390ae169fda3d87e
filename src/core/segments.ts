// Sealing entries into Merkle segments and proving inclusion (FORMAT §4, §5).

import { rfc3339 } from "./clock";
import { walkCheckpoints, getSegment } from "./checkpoints";
import type { LogContext } from "./context";
import { verifyChain } from "./entries";
import { errors } from "./errors";
import { bytesEqual, toHex } from "./hex";
import { foldProof, merkleProof, merkleRoot } from "./merkle";
import { HASH_LEN, ZERO_HASH, type InclusionProof, type SegmentInfo } from "./model";
import { digest, rowSeqno } from "./rows";
import type { SecureLogRow, SecureLogSegmentRow, SegmentEntry } from "./store";
import { storeCall } from "./store-call";
import { checkStreamId } from "./streams";

/**
 * Seals everything the stream gained since its last segment. The range is
 * chain-verified first, so a segment never blesses an edited entry.
 */
export async function closeSegment(ctx: LogContext, streamId: string): Promise<SegmentInfo> {
  checkStreamId(streamId);
  const covered = await storeCall("read last sealed seqno", () =>
    ctx.store.secureLogSegmentLastSeqno(streamId),
  );
  const start = (covered ?? 0n) + 1n;
  const head = await storeCall("read head", () => ctx.store.secureLogHead(streamId));
  if (head === undefined || head < start) throw errors.emptySegment(streamId);
  const rows = await storeCall("read range", () => ctx.store.secureLogRange(streamId, start, head));
  if (rows.length === 0) throw errors.emptySegment(streamId);
  // The store's bookkeeping says these entries are unsealed; a membership row
  // saying otherwise means a segment row was edited: never seal twice.
  for (const row of [rows[0]!, rows.at(-1)!]) {
    const sealedIn = await storeCall("find segment", () =>
      ctx.store.secureLogSegmentForSeqno(rowSeqno(row)),
    );
    if (sealedIn !== undefined) throw errors.segmentAlreadyClosed(sealedIn);
  }
  await verifyChain(ctx, streamId, start, head);

  const leaves = rows.map((row) => digest(row.entryHash, `entry ${rowSeqno(row)} entry_hash`));
  const previous = (await walkCheckpoints(ctx, streamId)).at(-1);
  const row: SecureLogSegmentRow = {
    streamId,
    seqStart: rowSeqno(rows[0]!),
    seqEnd: head,
    merkleRoot: await merkleRoot(leaves),
    lastEntryHash: leaves.at(-1)!,
    prevCheckpointHash: previous?.hash ?? ZERO_HASH,
    closedAtRfc3339: rfc3339(ctx.clock()),
  };
  const members: SegmentEntry[] = rows.map((r, i) => [rowSeqno(r), BigInt(i)]);
  const segmentId = await storeCall("insert segment", () =>
    ctx.store.secureLogSegmentInsert(row, members),
  );
  return {
    segmentId,
    streamId,
    seqStart: row.seqStart,
    seqEnd: row.seqEnd,
    merkleRoot: row.merkleRoot,
    lastEntryHash: row.lastEntryHash,
    prevCheckpointHash: row.prevCheckpointHash,
    closedAtRfc3339: row.closedAtRfc3339,
  };
}

/** The segment's member rows in leaf order, read with one range call. */
async function memberRows(ctx: LogContext, segment: SegmentInfo): Promise<SecureLogRow[]> {
  const seqnos = await storeCall("read segment members", () =>
    ctx.store.secureLogSegmentEntrySeqnos(segment.segmentId),
  );
  const rows = await storeCall("read range", () =>
    ctx.store.secureLogRange(segment.streamId, segment.seqStart, segment.seqEnd),
  );
  const bySeqno = new Map(rows.map((r) => [rowSeqno(r), r]));
  return seqnos.map((s) => {
    const row = bySeqno.get(s);
    if (row === undefined) throw errors.entryNotFound(s);
    return row;
  });
}

export async function buildInclusionProof(ctx: LogContext, seqno: bigint): Promise<InclusionProof> {
  const segmentId = await storeCall("find segment", () =>
    ctx.store.secureLogSegmentForSeqno(seqno),
  );
  if (segmentId === undefined) {
    const entry = await storeCall("read entry", () => ctx.store.secureLogGet(seqno));
    if (entry === undefined) throw errors.entryNotFound(seqno);
    throw errors.invalid(
      `entry ${seqno} is not in a closed segment yet; close stream '${entry.streamId}' first`,
    );
  }
  const segment = await getSegment(ctx, segmentId);
  const rows = await memberRows(ctx, segment);
  const index = rows.findIndex((r) => rowSeqno(r) === seqno);
  if (index < 0) throw errors.entryNotFound(seqno);
  const leaves = rows.map((r) => digest(r.entryHash, `entry ${rowSeqno(r)} entry_hash`));
  const { root, path } = await merkleProof(leaves, index);
  return { seqno, entryHash: leaves[index]!, segmentId, merkleRoot: root, path };
}

function checkDigest(bytes: Uint8Array, what: string): void {
  if (bytes.length !== HASH_LEN) {
    throw errors.invalid(`${what} must be ${HASH_LEN} bytes, got ${bytes.length}`);
  }
}

/** Folds the path from the entry hash; the proof's own root is ignored (FORMAT §4). */
export async function verifyInclusionProof(
  proof: InclusionProof,
  expectedRoot: Uint8Array,
): Promise<void> {
  checkDigest(expectedRoot, "expected root");
  checkDigest(proof.entryHash, "proof entry hash");
  proof.path.forEach((step, i) => checkDigest(step.siblingHash, `proof step ${i} sibling hash`));
  const root = await foldProof(proof.entryHash, proof.path);
  if (!bytesEqual(root, expectedRoot)) {
    throw errors.inclusionMismatch(proof.seqno, proof.segmentId);
  }
}

/**
 * Audits every sealed segment of the stream against its entries: membership
 * in seqno order, bounds, last entry hash and Merkle root; and that every
 * entry up to the last seal belongs to exactly one segment.
 */
export async function verifySegments(ctx: LogContext, streamId: string): Promise<number> {
  const segments = (await walkCheckpoints(ctx, streamId)).map((l) => l.segment);
  let sealedUpTo = 0n;
  for (const segment of segments) {
    const broken = (reason: string) =>
      errors.chainBroken(segment.seqEnd, `segment ${segment.segmentId}: ${reason}`);
    const rows = await memberRows(ctx, segment);
    const seqnos = rows.map(rowSeqno);
    if (seqnos[0] !== segment.seqStart || seqnos.at(-1) !== segment.seqEnd) {
      throw broken(`members do not span seq ${segment.seqStart}..${segment.seqEnd}`);
    }
    if (seqnos.some((s, i) => i > 0 && s <= seqnos[i - 1]!)) throw broken("members out of order");
    if (seqnos[0]! <= sealedUpTo) throw broken("overlaps the previous segment");
    const inRange = await storeCall("read range", () =>
      ctx.store.secureLogRange(streamId, sealedUpTo + 1n, segment.seqEnd),
    );
    const stray = inRange.find((r) => !seqnos.includes(rowSeqno(r)));
    if (stray !== undefined) {
      throw errors.chainBroken(
        rowSeqno(stray),
        `entry is not a member of segment ${segment.segmentId} that covers it`,
      );
    }
    const leaves = rows.map((r) => r.entryHash);
    if (!bytesEqual(leaves.at(-1)!, segment.lastEntryHash)) {
      throw broken("last_entry_hash does not match its last entry");
    }
    const root = await merkleRoot(leaves);
    if (!bytesEqual(root, segment.merkleRoot)) {
      throw broken(
        `merkle root mismatch: stored=${toHex(segment.merkleRoot)} recomputed=${toHex(root)}`,
      );
    }
    sealedUpTo = segment.seqEnd;
  }
  return segments.length;
}
