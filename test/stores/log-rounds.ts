// The whole-log scenario the file and SQLite store tests share: one SecureLog
// writes, seals and signs; another, reopening the same store, verifies it all.

import { expect } from "vitest";
import type { SecureLog } from "../../src/core/log";
import { utf8 } from "../fixtures/log-setup";

/**
 * Three rounds of 4 "app" and 4 "ops" entries, each round closing and signing
 * an "app" segment, then one "app" entry after the last seal (seqno 25).
 * Returns the segments' ids.
 */
export async function writeRounds(log: SecureLog): Promise<bigint[]> {
  const segments: bigint[] = [];
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 4; i++) {
      await log.append("app", "login", "info", "svc", utf8(`r${round} e${i}`));
      await log.append("ops", "tick", "debug", "svc", utf8(`${round}.${i}`));
    }
    const seg = await log.closeSegment("app");
    await log.signSegment("node-key", seg.segmentId);
    segments.push(seg.segmentId);
  }
  await log.append("app", "logout", "notice", "svc", utf8("after the last seal"));
  return segments;
}

/** What a log reopened after `writeRounds` must find: chains, checkpoints, signatures, proofs. */
export async function verifyRounds(log: SecureLog, segments: bigint[]): Promise<void> {
  expect(await log.head("app")).toBe(25n);
  await log.verifyChain("app", 1n, 25n);
  await log.verifyChain("ops", 1n, 24n);
  expect(await log.verifyCheckpointChain("app")).toBe(3);
  expect(await log.verifySegments("app")).toBe(3);
  expect(await log.checkRollback("app")).toBe(true);
  for (const id of segments) await log.verifySegmentSignature(id);
  const proof = await log.buildInclusionProof(5n);
  await log.verifyInclusionProof(proof, (await log.readSegment(proof.segmentId)).merkleRoot);
  expect(new TextDecoder().decode((await log.read(25n)).payload)).toBe("after the last seal");
}
