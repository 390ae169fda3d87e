// Checkpoint signing through the keystore the stack composes in: sign every
// segment, verify each signature and the checkpoint chain, and (per keystore
// algorithm, each on its own data directory and instance) do it again from a
// new instance that only has the directory and the same keystore settings.

import type { SegmentInfo } from "../src/core/model";
import type { SignatureAlgorithm } from "../src/core/signer";
import type { Section } from "./checks";
import { ensure, failsWith, same } from "./expect";
import type { Stack, StackApi } from "./stack-api";
import { PRODUCER, SIGNATURE_LENGTH, SIGNER_IDENTITY, keystoreEnv, payload } from "./workload";

/** Signs every segment, verifies each signature and each stream's checkpoint chain. */
export async function signAndVerify(
  s: Section,
  api: StackApi,
  segments: SegmentInfo[],
  algorithm: SignatureAlgorithm,
): Promise<void> {
  const hashes = new Map<bigint, Uint8Array>();
  await s.check(`sign-segment (${algorithm})`, async () => {
    for (const seg of segments) {
      const [hash, signature] = await api.signSegment(SIGNER_IDENTITY, seg.segmentId);
      ensure(hash.length === 32, `checkpoint hash of ${hash.length} bytes`);
      same(signature.length, SIGNATURE_LENGTH[algorithm], `${algorithm} signature length`);
      hashes.set(seg.segmentId, hash);
      seg.signature = signature;
      seg.signerIdentity = SIGNER_IDENTITY;
    }
    await failsWith("invalid", () => api.signSegment(SIGNER_IDENTITY, segments[0]!.segmentId));
    return `${segments.length} segments signed; signing one again → invalid`;
  });
  await s.check(`verify-segment-signature (${algorithm})`, async () => {
    for (const seg of segments) {
      const hash = await api.verifySegmentSignature(seg.segmentId);
      same(hash, hashes.get(seg.segmentId)!, `checkpoint hash of #${seg.segmentId}`);
    }
    return `${segments.length} signatures verify`;
  });
  await checkpointChains(s, api, segments, algorithm);
}

export async function checkpointChains(
  s: Section,
  api: StackApi,
  segments: SegmentInfo[],
  algorithm: SignatureAlgorithm,
): Promise<void> {
  await s.check(`verify-checkpoint-chain (${algorithm})`, async () => {
    const counts: string[] = [];
    for (const id of new Set(segments.map((g) => g.streamId))) {
      const n = await api.verifyCheckpointChain(id);
      same(n, segments.filter((g) => g.streamId === id).length, `checkpoints of ${id}`);
      counts.push(`${id}: ${n}`);
    }
    return `checkpoints ${counts.join(", ")}`;
  });
}

/** Two signed segments of one stream with `algorithm`, then verified by a new instance. */
export async function keystoreSection(
  s: Section,
  stack: Stack,
  algorithm: SignatureAlgorithm,
  dataDir: string,
): Promise<void> {
  const env = keystoreEnv(algorithm);
  const stream = `keys.${algorithm}`;
  const api = await stack.instantiate({ dataDir, env });
  const segments: SegmentInfo[] = [];
  await s.check("open, append, close two segments", async () => {
    await api.open(stack.storeConfig);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) {
        await api.append(stream, "key.test", "info", PRODUCER, payload(64 * i, round * 3 + i));
      }
      segments.push(await api.closeSegment(stream));
    }
    return segments.map((g) => `#${g.segmentId} ${g.seqStart}..${g.seqEnd}`).join(", ");
  });
  await signAndVerify(s, api, segments, algorithm);

  const again = await stack.instantiate({ dataDir, env });
  await s.check("new instance: open", async () => {
    await again.open(stack.storeConfig);
    same(await again.listSegments(stream), segments, `list-segments(${stream})`);
    return "same segments and signatures";
  });
  await checkpointChains(s, again, segments, algorithm);
}
