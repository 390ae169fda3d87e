// One stream's full verification, on anything that answers the log's calls:
// a composed stack, or the core over an evidence bundle. Hash chain, every
// sealed entry's inclusion under its segment's root, segment signatures, the
// checkpoint chain, and the anti-rollback head record.

import { describe } from "../src/core/errors";
import type { HeadRecord } from "../src/core/head-file";
import { entryHash } from "../src/core/encoder";
import { bytesEqual, toHex } from "../src/core/hex";
import { merkleRoot } from "../src/core/merkle";
import type { EntryFields, SegmentInfo } from "../src/core/model";
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

/** "[########------------]  40%": how much of a stream's segments is done. */
export function bar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? width : Math.floor((done / total) * width);
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(percent).padStart(3)}%`;
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
  for (const [i, seg] of segments.entries()) {
    progress(
      `${bar(i, segments.length)} '${stream}': segment ${seg.segmentId} (seqno ${seg.seqStart}–${seg.seqEnd}), ${i + 1} of ${segments.length}`,
    );
    const members: EntryFields[] = [];
    for (let s = seg.seqStart; s <= seg.seqEnd; s++) {
      const entry = await api.read(s).catch(() => undefined);
      if (entry?.streamId === stream) members.push(entry);
    }
    r.entries += members.length;
    const broken = await segmentFailure(api, seg, members);
    if (broken !== undefined) {
      return fail(`segment ${seg.segmentId}: ${broken.text}`, {
        brokenSeqno: broken.seqno,
        brokenSegment: seg.segmentId,
      });
    }
    r.proofs += members.length;
    if (seg.signature === undefined) r.unsigned.push(seg.segmentId);
  }
  // With every segment signed, the checkpoint chain checks all signatures in
  // one walk. A segment's own check walks the chain from the first segment,
  // so those run only when the chain cannot be checked, or to name the
  // signature that broke it.
  if (segments.length > 0 && r.unsigned.length === 0) {
    progress(`verifying '${stream}': checkpoint chain`);
    try {
      r.checkpoints = await api.verifyCheckpointChain(stream);
      r.signed = segments.length;
    } catch (e) {
      const chain = verificationFailure(e);
      const bad = await signatureFailure(api, segments, r);
      if (bad !== undefined) return fail(bad.failure, bad);
      return fail(`checkpoint chain: ${chain.text}`, { brokenSeqno: chain.seqno });
    }
  } else {
    const bad = await signatureFailure(api, segments, r);
    if (bad !== undefined) return fail(bad.failure, bad);
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

/** Checks each signed segment's signature in order, counting them in `r`; the first bad one. */
async function signatureFailure(
  api: VerifyTarget,
  segments: readonly SegmentInfo[],
  r: StreamResult,
): Promise<{ failure: string; brokenSegment: bigint } | undefined> {
  r.signed = 0;
  for (const seg of segments) {
    if (seg.signature === undefined) continue;
    try {
      await api.verifySegmentSignature(seg.segmentId);
      r.signed++;
    } catch (e) {
      const f = verificationFailure(e);
      return {
        failure: `segment ${seg.segmentId} signature: ${f.text}`,
        brokenSegment: seg.segmentId,
      };
    }
  }
  return undefined;
}

/** Why the store cannot prove `seqno` under `root`, or undefined when it can. */
async function proofFailure(
  api: VerifyTarget,
  seqno: bigint,
  root: Uint8Array,
): Promise<string | undefined> {
  try {
    await verifyInclusionProof(await api.buildInclusionProof(seqno), root);
    return undefined;
  } catch (err) {
    // Any refusal to prove a member (a missing membership row, a wrong path) is a failure.
    const le = logErrorOf(err);
    if (le === undefined) throw toCliError(err);
    return `proof of seqno ${seqno}: ${describe(le)}`;
  }
}

/**
 * Every member is included under the segment's root: the root recomputed
 * here from the entries' own hashes must be the stored one (one pass, where
 * a proof per entry would cost the whole tree each). The store's proofs are
 * spot-checked on the first and last member. When the root differs, each
 * member's proof is checked: one failing names its entry, all failing
 * means the segment's root itself was changed.
 */
async function segmentFailure(
  api: VerifyTarget,
  seg: SegmentInfo,
  members: readonly EntryFields[],
): Promise<{ text: string; seqno?: bigint } | undefined> {
  if (members.length === 0) return { text: "none of its entries is in the log" };
  const leaves: Uint8Array[] = [];
  for (const e of members) leaves.push(await entryHash(e));
  const root = await merkleRoot(leaves);
  if (bytesEqual(root, seg.merkleRoot) && bytesEqual(leaves.at(-1)!, seg.lastEntryHash)) {
    for (const e of [members[0]!, members.at(-1)!]) {
      const text = await proofFailure(api, e.seqno, seg.merkleRoot);
      if (text !== undefined) return { text, seqno: e.seqno };
    }
    return undefined;
  }
  const failures: { text: string; seqno: bigint }[] = [];
  for (const e of members) {
    const text = await proofFailure(api, e.seqno, seg.merkleRoot);
    if (text !== undefined) failures.push({ text, seqno: e.seqno });
  }
  if (failures.length > 0 && failures.length < members.length) return failures[0];
  return {
    text: `its Merkle root or last entry hash was changed: its ${members.length} entries give root ${toHex(root)}, the segment says ${toHex(seg.merkleRoot)}`,
  };
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

const headOf = (records: readonly HeadRecord[], stream: string) =>
  records.find((r) => r.streamId === stream);

/** Streams in order until the first that fails. */
export async function verifyAll(
  target: VerifyTarget,
  names: readonly string[],
  heads: readonly HeadRecord[],
  before: (stream: string) => Promise<Partial<StreamResult> | undefined> = async () => undefined,
): Promise<StreamResult[]> {
  const results: StreamResult[] = [];
  for (const n of names) {
    const early = await before(n);
    const r =
      early === undefined
        ? await verifyStream(target, n, headOf(heads, n))
        : { ...emptyResult(n), ...early, ok: false };
    results.push(r);
    if (!r.ok) break;
  }
  progress("");
  return results;
}
