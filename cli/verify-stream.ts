// One stream's full verification, on anything that answers the log's calls:
// a composed stack, or the core over an evidence bundle. Hash chain, every
// sealed entry's inclusion proof, segment signatures, the checkpoint chain,
// and the anti-rollback head record.

import { describe } from "../src/core/errors";
import type { HeadRecord } from "../src/core/head-file";
import { toHex } from "../src/core/hex";
import { verifyInclusionProof } from "../src/core/segments";
import type { StackApi } from "../verify/stack-api";
import { logErrorOf, toCliError } from "./output";

/** The calls verification makes; a SecureLog has them too. */
export type VerifyTarget = Pick<
  StackApi,
  | "head"
  | "verifyChain"
  | "listSegments"
  | "read"
  | "buildInclusionProof"
  | "verifySegmentSignature"
  | "verifyCheckpointChain"
>;

export interface StreamResult {
  stream: string;
  entries: number;
  segments: number;
  proofs: number;
  signed: number;
  checkpoints: number;
  /** Segments without a signature: the checkpoint chain cannot be checked until they are signed. */
  unsigned: bigint[];
  /** The head record's segment when it was checked; undefined when there is none. */
  headSegment?: bigint;
  ok: boolean;
  /** What broke first, naming the seqno or the segment. */
  failure?: string;
  brokenSeqno?: bigint;
  brokenSegment?: bigint;
}

/** A stream's result before anything is checked. */
export function emptyResult(stream: string): StreamResult {
  return {
    stream,
    entries: 0,
    segments: 0,
    proofs: 0,
    signed: 0,
    checkpoints: 0,
    unsigned: [],
    ok: true,
  };
}

/** A progress line on stderr, only when it is a terminal. */
export function progress(text: string): void {
  if (process.stderr.isTTY === true) process.stderr.write(`\r\x1b[K${text}`);
}

/** A verification failure (chain-broken, inclusion-mismatch) or undefined; anything else is rethrown. */
function verificationFailure(e: unknown): { text: string; seqno?: bigint } {
  const le = logErrorOf(e);
  if (le?.tag === "chain-broken") return { text: describe(le), seqno: le.val.seqno };
  if (le?.tag === "inclusion-mismatch") return { text: describe(le), seqno: le.val.seqno };
  throw toCliError(e);
}

export async function verifyStream(
  api: VerifyTarget,
  stream: string,
  headRecord?: HeadRecord,
): Promise<StreamResult> {
  const r = emptyResult(stream);
  const fail = (failure: string, extra: Partial<StreamResult> = {}) =>
    Object.assign(r, { ok: false, failure }, extra);
  const head = await api.head(stream);
  if (head !== undefined) {
    progress(`verifying '${stream}': hash chain 1–${head}`);
    try {
      await api.verifyChain(stream, 1n, head);
    } catch (e) {
      const f = verificationFailure(e);
      return fail(`hash chain: ${f.text}`, { brokenSeqno: f.seqno });
    }
  }
  const segments = await api.listSegments(stream);
  r.segments = segments.length;
  for (const seg of segments) {
    for (let s = seg.seqStart; s <= seg.seqEnd; s++) {
      progress(`verifying '${stream}': segment ${seg.segmentId}, proof for seqno ${s}`);
      const entry = await api.read(s).catch(() => undefined);
      if (entry === undefined || entry.streamId !== stream) continue;
      r.entries++;
      try {
        const proof = await api.buildInclusionProof(s);
        await verifyInclusionProof(proof, seg.merkleRoot);
        r.proofs++;
      } catch (e) {
        const f = verificationFailure(e);
        return fail(`segment ${seg.segmentId}: ${f.text}`, {
          brokenSeqno: s,
          brokenSegment: seg.segmentId,
        });
      }
    }
    if (seg.signature === undefined) r.unsigned.push(seg.segmentId);
    else {
      try {
        await api.verifySegmentSignature(seg.segmentId);
        r.signed++;
      } catch (e) {
        const f = verificationFailure(e);
        return fail(`segment ${seg.segmentId} signature: ${f.text}`, {
          brokenSegment: seg.segmentId,
        });
      }
    }
  }
  // The checkpoint chain checks every segment's signature, so it needs them all signed.
  if (segments.length > 0 && r.unsigned.length === 0) {
    progress(`verifying '${stream}': checkpoint chain`);
    try {
      r.checkpoints = await api.verifyCheckpointChain(stream);
    } catch (e) {
      const f = verificationFailure(e);
      return fail(`checkpoint chain: ${f.text}`, { brokenSeqno: f.seqno });
    }
  }
  if (headRecord !== undefined) {
    const broken = await rollbackFailure(api, headRecord, segments.at(-1)?.segmentId ?? 0n);
    if (broken !== undefined) return fail(broken, { brokenSegment: headRecord.segmentId });
    r.headSegment = headRecord.segmentId;
  }
  if (head !== undefined) {
    const sealedUpTo = segments.at(-1)?.seqEnd ?? 0n;
    // Entries after the last seal are covered by the chain only.
    for (let s = sealedUpTo + 1n; s <= head; s++) {
      const e = await api.read(s).catch(() => undefined);
      if (e?.streamId === stream) r.entries++;
    }
  }
  return r;
}

/**
 * The log must still hold the segment the head record names, with the
 * checkpoint hash it recorded (FORMAT §7.1); otherwise history was rolled
 * back or rewritten. Returns what is wrong, or undefined.
 */
async function rollbackFailure(
  api: VerifyTarget,
  record: HeadRecord,
  highest: bigint,
): Promise<string | undefined> {
  progress(`verifying '${record.streamId}': rollback head (segment ${record.segmentId})`);
  const where = `rollback head: the head file records segment ${record.segmentId} (seqno up to ${record.seqEnd})`;
  if (highest < record.segmentId) {
    return `${where}, but the log's newest segment of the stream is ${highest === 0n ? "none" : highest}: rolled back`;
  }
  let hash: Uint8Array;
  try {
    hash = await api.verifySegmentSignature(record.segmentId);
  } catch (e) {
    const le = logErrorOf(e);
    if (le?.tag === "segment-not-found") return `${where}, which is gone: rolled back`;
    // Unsigned now, or signed by a key that does not verify it: rewritten.
    if (le !== undefined) return `${where}, and it does not verify: ${describe(le)}`;
    throw toCliError(e);
  }
  if (toHex(hash) !== record.checkpointHashHex.toLowerCase()) {
    return `${where} with checkpoint ${record.checkpointHashHex}, but it recomputes to ${toHex(hash)}: rewritten`;
  }
  return undefined;
}
