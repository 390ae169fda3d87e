// The whole log over FileStore: a drop-in for MemoryStore. Entries, segments and
// signatures written by one SecureLog are verified by another that reopens the
// file, as after a restart.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { MemoryHeadStorage } from "../../src/core/head-file";
import { SecureLog } from "../../src/core/log";
import { NodeFileSystem } from "../../src/node/node-file-system";
import { FileStore } from "../../src/stores/file/file-store";
import { NodeSigner } from "../fixtures/node-signer";

const utf8 = (s: string) => new TextEncoder().encode(s);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "file-store-log-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("appends, seals and signs; a reopened log verifies the chain and the checkpoints", async () => {
  const path = join(dir, "audit.jsonl");
  const signer = new NodeSigner();
  const heads = new MemoryHeadStorage();
  const open = async () => {
    const log = new SecureLog({
      store: new FileStore(new NodeFileSystem()),
      signer,
      heads,
      sessionId: "sess",
      bootId: "boot",
    });
    await log.open(path);
    return log;
  };

  const first = await open();
  const segments: bigint[] = [];
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 4; i++) {
      await first.append("app", "login", "info", "svc", utf8(`r${round} e${i}`));
      await first.append("ops", "tick", "debug", "svc", utf8(`${round}.${i}`));
    }
    const seg = await first.closeSegment("app");
    await first.signSegment("node-key", seg.segmentId);
    segments.push(seg.segmentId);
  }
  await first.append("app", "logout", "notice", "svc", utf8("after the last seal"));

  const second = await open();
  expect(await second.head("app")).toBe(25n);
  await second.verifyChain("app", 1n, 25n);
  await second.verifyChain("ops", 1n, 24n);
  expect(await second.verifyCheckpointChain("app")).toBe(3);
  expect(await second.verifySegments("app")).toBe(3);
  expect(await second.checkRollback("app")).toBe(true);
  for (const id of segments) await second.verifySegmentSignature(id);
  const proof = await second.buildInclusionProof(5n);
  const seg = await second.readSegment(proof.segmentId);
  await second.verifyInclusionProof(proof, seg.merkleRoot);
  expect(new TextDecoder().decode((await second.read(25n)).payload)).toBe("after the last seal");

  // The reopened log keeps writing where the first stopped.
  await second.append("app", "login", "info", "svc", utf8("again"));
  const next = await second.closeSegment("app");
  await second.signSegment("node-key", next.segmentId);
  const third = await open();
  expect(await third.verifyCheckpointChain("app")).toBe(4);
  await third.verifyChain("app", 1n, 26n);
});
