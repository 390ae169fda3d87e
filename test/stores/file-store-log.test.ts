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
import { utf8 } from "../fixtures/log-setup";
import { NodeSigner } from "../fixtures/node-signer";
import { verifyRounds, writeRounds } from "./log-rounds";

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

  const segments = await writeRounds(await open());
  const second = await open();
  await verifyRounds(second, segments);

  // The reopened log keeps writing where the first stopped.
  await second.append("app", "login", "info", "svc", utf8("again"));
  const next = await second.closeSegment("app");
  await second.signSegment("node-key", next.segmentId);
  const third = await open();
  expect(await third.verifyCheckpointChain("app")).toBe(4);
  await third.verifyChain("app", 1n, 26n);
});
