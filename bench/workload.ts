// What the benchmark times on one instance, through the same StackApi the
// harness uses: appends, verify-chain over them, close-segment over them, and
// inclusion proofs of entries in that segment.

import type { StackApi } from "../verify/stack-api";
import { payload } from "../verify/workload";

export interface LogTimings {
  appends: number;
  /** Entries appended per second (each append is one durable write on the file stack). */
  appendPerSec: number;
  /** Entries checked per second by one verify-chain over all of them. */
  verifyPerSec: number;
  /** One close-segment over all the entries. */
  closeMs: number;
  /** build-inclusion-proof + verify-inclusion-proof, mean over `proofs` entries. */
  proofMs: number;
  proofs: number;
}

const STREAM = "bench";
const PAYLOAD_BYTES = 256;

export async function timeLog(api: StackApi, appends: number, proofs = 20): Promise<LogTimings> {
  const body = payload(PAYLOAD_BYTES, 7);
  // One untimed append warms lazily initialised code on both sides.
  await api.append("warm-up", "bench.warm", "info", "bench", body);

  let t = performance.now();
  let first = 0n;
  let last = 0n;
  for (let i = 0; i < appends; i++) {
    const { seqno } = await api.append(STREAM, "bench.event", "info", "bench", body);
    if (i === 0) first = seqno;
    last = seqno;
  }
  const appendMs = performance.now() - t;

  t = performance.now();
  await api.verifyChain(STREAM, first, last);
  const verifyMs = performance.now() - t;

  t = performance.now();
  const segment = await api.closeSegment(STREAM);
  const closeMs = performance.now() - t;

  const n = Math.min(proofs, appends);
  t = performance.now();
  for (let i = 0; i < n; i++) {
    const seqno = first + BigInt(Math.floor((i * appends) / n));
    const proof = await api.buildInclusionProof(seqno);
    await api.verifyInclusionProof(proof, segment.merkleRoot);
  }
  const proofMs = (performance.now() - t) / n;

  return {
    appends,
    appendPerSec: (appends / appendMs) * 1000,
    verifyPerSec: (appends / verifyMs) * 1000,
    closeMs,
    proofMs,
    proofs: n,
  };
}
