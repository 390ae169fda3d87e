// Holding checkpoints outside the node (FORMAT §7.2): what we send a witness,
// what a witness answers, and the comparison of a witnessed checkpoint with
// our own chain. Divergence is an error; an older, matching checkpoint is an
// ancestor, not a divergence (the reference reports both wrongly, §10.5).

import { walkCheckpoints } from "./checkpoints";
import { rfc3339 } from "./clock";
import type { LogContext } from "./context";
import { errors } from "./errors";
import { parseHexExact, toHex } from "./hex";
import { verifySignature } from "./signatures/verify";
import { storeCall } from "./store-call";
import { compareCheckpointHex, type WitnessReceipt, type WitnessSubmission } from "./witness";

export async function buildWitnessSubmission(
  ctx: LogContext,
  streamId: string,
): Promise<WitnessSubmission> {
  const links = await walkCheckpoints(ctx, streamId);
  const link = links.findLast((l) => l.segment.signature !== undefined);
  if (link === undefined) {
    throw errors.invalid(`stream '${streamId}' has no signed segments to publish`);
  }
  const { segment } = link;
  if (segment.signerIdentity === undefined) {
    throw errors.invalid(`segment ${segment.segmentId} has a signature but no signer identity`);
  }
  return {
    streamId,
    segmentId: segment.segmentId,
    seqStart: segment.seqStart,
    seqEnd: segment.seqEnd,
    checkpointHashHex: toHex(link.hash),
    signatureHex: toHex(segment.signature!),
    signerIdentity: segment.signerIdentity,
  };
}

export type WitnessAgreement = "current" | "ancestor";

/** "current": the witnessed checkpoint is our latest; "ancestor": an older one of our chain. */
export async function verifyAgainstWitness(
  ctx: LogContext,
  submission: WitnessSubmission,
): Promise<WitnessAgreement> {
  const links = await walkCheckpoints(ctx, submission.streamId);
  const index = links.findIndex((l) => l.segment.segmentId === submission.segmentId);
  if (index < 0) throw errors.segmentNotFound(submission.segmentId);
  const local = links[index]!.hash;
  if (!compareCheckpointHex(submission.checkpointHashHex, local)) {
    throw errors.chainBroken(
      submission.seqEnd,
      `witness divergence at segment ${submission.segmentId}: remote=${submission.checkpointHashHex.toLowerCase()} local=${toHex(local)}`,
    );
  }
  return index === links.length - 1 ? "current" : "ancestor";
}

/**
 * The witness side: accept a submission into the witness log when its
 * signature verifies (when this node's keystore knows the signer) and it
 * neither forks nor rolls back what was witnessed before for the stream.
 */
export async function receiveSubmission(
  ctx: LogContext,
  submission: WitnessSubmission,
): Promise<WitnessReceipt> {
  const receipt = (accepted: boolean, reason: string | null): WitnessReceipt => ({
    streamId: submission.streamId,
    segmentId: submission.segmentId,
    checkpointHashHex: submission.checkpointHashHex.toLowerCase(),
    accepted,
    reason,
    receivedAtRfc3339: rfc3339(ctx.clock()),
  });
  const hash = parseHexExact(submission.checkpointHashHex, 32);
  if (typeof hash === "string") return receipt(false, `checkpoint_hash_hex: ${hash}`);
  const latest = await storeCall("read witness log", () =>
    ctx.store.witnessLogLatest(submission.streamId),
  );
  if (latest !== undefined) {
    if (submission.segmentId < latest.segmentId) {
      return receipt(
        false,
        `segment ${submission.segmentId} is older than witnessed segment ${latest.segmentId}`,
      );
    }
    if (
      submission.segmentId === latest.segmentId &&
      !compareCheckpointHex(latest.checkpointHashHex, hash)
    ) {
      return receipt(
        false,
        `fork: segment ${latest.segmentId} was witnessed with hash ${latest.checkpointHashHex}`,
      );
    }
  }
  if (ctx.signer !== undefined) {
    const signature = parseHexExact(submission.signatureHex, submission.signatureHex.length / 2);
    if (typeof signature === "string") return receipt(false, `signature_hex: ${signature}`);
    let ok: boolean;
    try {
      const key = await ctx.signer.getKey(submission.signerIdentity);
      ok = await verifySignature(key.algorithm(), key.publicKey(), hash, signature);
    } catch {
      return receipt(false, `signer '${submission.signerIdentity}' is not known to this witness`);
    }
    if (!ok) return receipt(false, "checkpoint signature does not verify");
  }
  const accepted = receipt(true, null);
  await storeCall("write witness log", () =>
    ctx.store.witnessLogInsert({
      streamId: submission.streamId,
      segmentId: submission.segmentId,
      seqStart: submission.seqStart,
      seqEnd: submission.seqEnd,
      checkpointHashHex: accepted.checkpointHashHex,
      signatureHex: submission.signatureHex.toLowerCase(),
      signerIdentity: submission.signerIdentity,
      receivedAtRfc3339: accepted.receivedAtRfc3339,
    }),
  );
  return accepted;
}

/** A receipt counts only if it accepted exactly this submission. */
export function checkReceipt(submission: WitnessSubmission, receipt: WitnessReceipt): void {
  const hash = parseHexExact(submission.checkpointHashHex, 32);
  if (typeof hash === "string") throw errors.invalid(`checkpoint_hash_hex: ${hash}`);
  if (
    receipt.streamId !== submission.streamId ||
    receipt.segmentId !== submission.segmentId ||
    !compareCheckpointHex(receipt.checkpointHashHex, hash)
  ) {
    throw errors.invalid(
      `receipt is for stream '${receipt.streamId}' segment ${receipt.segmentId}, not for the submission`,
    );
  }
  if (!receipt.accepted) {
    throw errors.chainBroken(
      submission.seqEnd,
      `witness refused segment ${submission.segmentId}: ${receipt.reason ?? "no reason given"}`,
    );
  }
}
