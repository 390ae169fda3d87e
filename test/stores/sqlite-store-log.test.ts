// The whole log over SqliteStore in Node (the real engine component under
// jco): a drop-in for MemoryStore and FileStore. What one SecureLog writes,
// seals and signs, another reopening the database verifies; a rewrite made
// with the triggers dropped is caught by the hash chain. Logs the insert
// rates it measures.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { buildSqliteEngine } from "../../scripts/lib/build-sqlite-engine";
import { MemoryHeadStorage } from "../../src/core/head-file";
import { SecureLog } from "../../src/core/log";
import type { Engine } from "../../src/stores/sqlite/engine";
import { SqliteStore } from "../../src/stores/sqlite/sqlite-store";
import { instantiateComponent } from "../components/harness";
import { failure, utf8 } from "../fixtures/log-setup";
import { NodeSigner } from "../fixtures/node-signer";
import { verifyRounds, writeRounds } from "./log-rounds";
import { chain } from "./store-contract";

let dir: string;
let engine: Engine;
const stores: SqliteStore[] = [];

beforeAll(async () => {
  const build = await buildSqliteEngine();
  dir = mkdtempSync(join(tmpdir(), "sqlite-store-log-"));
  const exports = await instantiateComponent<{ engine: Engine }>(build.wasmPath, {
    preopens: { "/data": dir },
  });
  engine = exports.engine;
}, 900_000);

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function store(): SqliteStore {
  const s = new SqliteStore(engine);
  stores.push(s);
  return s;
}

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en");

it("appends, seals and signs; a reopened log verifies the chain and the checkpoints", async () => {
  const path = "/data/audit.db";
  const signer = new NodeSigner();
  const heads = new MemoryHeadStorage();
  const open = async (over = store()) => {
    const log = new SecureLog({ store: over, signer, heads, sessionId: "sess", bootId: "boot" });
    await log.open(path);
    return { log, over };
  };

  const { log: first, over: firstStore } = await open();
  const segments = await writeRounds(first);
  firstStore.close();

  const { log: second, over: secondStore } = await open();
  await verifyRounds(second, segments);
  // Signing twice is refused by the core before the store's own rule is reached.
  expect((await failure(() => second.signSegment("node-key", segments[0]!))).tag).toBe("invalid");
  expect(secondStore.tamperAttempts()).toEqual([]);
  secondStore.close();

  // With the trigger dropped first, a rewrite goes through; verification catches it.
  const db = engine.open(path);
  engine.execute(
    db,
    "DROP TRIGGER secure_log_refuse_update; UPDATE secure_log SET payload = x'00' WHERE seqno = 3",
  );
  engine.close(db);
  const { log: third, over: thirdStore } = await open();
  expect(thirdStore.tamperAttempts().map((a) => a.rowKey)).toEqual(["secure_log_refuse_update"]);
  expect(await failure(() => third.verifyChain("app", 1n, 25n))).toMatchObject({
    tag: "chain-broken",
    val: { seqno: 3n },
  });
});

it("measures inserts through SqliteStore and appends through SecureLog", async () => {
  const durable = store();
  durable.init("/data/bench.db");
  const n = 300;
  // Rows compare-and-append accepts in order: seqnos 1, 2, … in stream s.
  const rows = chain(Array.from({ length: 3000 }, () => "s"));
  let started = performance.now();
  for (const row of rows.slice(0, n)) durable.secureLogInsert(row);
  const insertMs = performance.now() - started;

  const memory = store();
  memory.init(":memory:");
  started = performance.now();
  for (const row of rows) memory.secureLogInsert(row);
  const memoryMs = performance.now() - started;

  const log = new SecureLog({ store: store(), sessionId: "sess", bootId: "boot" });
  await log.open("/data/bench-log.db");
  started = performance.now();
  for (let i = 0; i < n; i++) await log.append("app", "ev", "info", "svc", utf8(`e${i}`));
  const appendMs = performance.now() - started;
  started = performance.now();
  await log.verifyChain("app", 1n, BigInt(n));
  const verifyMs = performance.now() - started;

  console.log(
    `SqliteStore.secureLogInsert, durable commit each: ${perSecond(n, insertMs)}/s ` +
      `(${(insertMs / n).toFixed(2)} ms); in memory: ${perSecond(3000, memoryMs)}/s; ` +
      `SecureLog.append over it: ${perSecond(n, appendMs)}/s; ` +
      `verifyChain of ${n}: ${verifyMs.toFixed(0)} ms`,
  );
  expect(durable.secureLogGlobalHead()).toBe(BigInt(n));
  expect(await log.head("app")).toBe(BigInt(n));
});
