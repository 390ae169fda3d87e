// Compare-and-append (docs/design/compare-and-append.md): several SecureLog
// instances over ONE store, each serialising only its own writes, append to one
// stream at once. Each append reads the heads, awaits hashing and sealing, then
// inserts; the store refuses a row whose seqno or prev_entry_hash went stale
// ("conflict: …") and appendEntry retries with fresh heads. The result must be
// one intact chain: every seqno once, every payload once, verify-chain passing.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSqliteEngine } from "../../scripts/lib/build-sqlite-engine";
import { SecureLog } from "../../src/core/log";
import { U64_MAX } from "../../src/core/model";
import type { Store } from "../../src/core/store";
import { NodeFileSystem } from "../../src/node/node-file-system";
import { FileStore } from "../../src/stores/file/file-store";
import { MemoryStore } from "../../src/stores/memory-store";
import type { Engine } from "../../src/stores/sqlite/engine";
import { SqliteStore } from "../../src/stores/sqlite/sqlite-store";
import { instantiateComponent } from "../components/harness";
import { failure, MASTER_KEY, utf8 } from "../fixtures/log-setup";

const WRITERS = 4;
const EACH = 200;
const STREAM = "app";

let dir: string;
let engine: Engine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "concurrency-"));
  const build = await buildSqliteEngine();
  const exports = await instantiateComponent<{ engine: Engine }>(build.wasmPath, {
    preopens: { "/data": dir },
  });
  engine = exports.engine;
}, 900_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `store` with its entry inserts counted: accepted, and refused as a conflict. */
function counted(store: Store) {
  const counts = { inserted: 0, conflicts: 0 };
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (name !== "secureLogInsert" || typeof value !== "function") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (...args: Parameters<Store["secureLogInsert"]>) => {
        try {
          const seqno = (value as Store["secureLogInsert"]).apply(target, args);
          counts.inserted++;
          return seqno;
        } catch (e) {
          if (e instanceof Error && e.message.startsWith("conflict: ")) counts.conflicts++;
          throw e;
        }
      };
    },
  });
  return { store: proxy, counts };
}

/**
 * A writer's pause between appends, up to 1 ms. Writers in one process over a
 * synchronous store are unfair without it: the winner of a race starts its next
 * append before a loser's retry can run, so a tight loop starves the others
 * (see the design note); independent clients always have some pause.
 */
const thinkTime = () => new Promise((resolve) => setTimeout(resolve, Math.random()));

/** One SecureLog per writer over the same store, each opened with `config`. */
async function writers(store: Store, config: string): Promise<SecureLog[]> {
  const logs: SecureLog[] = [];
  for (let w = 0; w < WRITERS; w++) {
    const log = new SecureLog({
      store,
      masterKey: MASTER_KEY,
      sessionId: `writer-${w}`,
      bootId: "boot",
    });
    await log.open(config);
    logs.push(log);
  }
  return logs;
}

/** Every writer appends EACH entries to STREAM at once; then the chain is judged. */
async function appendConcurrently(store: Store, config: string): Promise<void> {
  const logs = await writers(store, config);
  const results = await Promise.all(
    logs.map(async (log, w) => {
      const mine: bigint[] = [];
      for (let i = 0; i < EACH; i++) {
        await thinkTime();
        const { seqno } = await log.append(STREAM, "ev", "info", "svc", utf8(`w${w}-${i}`));
        mine.push(seqno);
      }
      return mine;
    }),
  );
  const total = WRITERS * EACH;
  const seqnos = results.flat().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  expect(seqnos).toEqual(Array.from({ length: total }, (_, i) => BigInt(i + 1)));
  await expectIntactChain(store, total);
}

async function expectIntactChain(store: Store, total: number): Promise<void> {
  const reader = new SecureLog({ store });
  await reader.verifyChain(STREAM, 1n, BigInt(total));
  const rows = await store.secureLogRange(STREAM, 0n, U64_MAX);
  expect(rows.map((r) => r.seqno)).toEqual(Array.from({ length: total }, (_, i) => BigInt(i + 1)));
  const payloads = rows.map((r) => new TextDecoder().decode(r.payload)).sort();
  const expected = Array.from({ length: WRITERS }, (_, w) =>
    Array.from({ length: EACH }, (_, i) => `w${w}-${i}`),
  )
    .flat()
    .sort();
  expect(payloads).toEqual(expected);
  expect(await store.secureLogGlobalHead()).toBe(BigInt(total));
}

describe(`${WRITERS} SecureLogs over one store, ${EACH} appends each to one stream at once`, () => {
  it("MemoryStore: one chain of every entry, races lost and retried", async () => {
    const memory = new MemoryStore();
    const { store, counts } = counted(memory);
    await appendConcurrently(store, "mem");
    expect(counts.inserted).toBe(WRITERS * EACH);
    // The writers did race: without compare-and-append these would be forks.
    expect(counts.conflicts).toBeGreaterThan(0);
  });

  it("FileStore: one chain, also after reopening the file", async () => {
    const path = join(dir, "log.jsonl");
    const file = new FileStore(new NodeFileSystem(), { warn: () => undefined });
    const { store, counts } = counted(file);
    await appendConcurrently(store, path);
    expect(counts.conflicts).toBeGreaterThan(0);
    const again = new FileStore(new NodeFileSystem(), { warn: () => undefined });
    again.init(path);
    await expectIntactChain(again, WRITERS * EACH);
  });

  it("SqliteStore: one chain, also after reopening the database", async () => {
    const sqlite = new SqliteStore(engine);
    const { store, counts } = counted(sqlite);
    await appendConcurrently(store, "/data/log.db");
    expect(counts.conflicts).toBeGreaterThan(0);
    sqlite.close();
    const again = new SqliteStore(engine);
    again.init("/data/log.db");
    await expectIntactChain(again, WRITERS * EACH);
    again.close();
  });
});

describe("retrying a lost race", () => {
  it("re-seals a sealed payload for the seqno it finally gets", async () => {
    const { store, counts } = counted(new MemoryStore());
    const logs = await writers(store, "mem");
    const n = 25;
    const appended = await Promise.all(
      logs.map(async (log, w) => {
        const mine: [bigint, string][] = [];
        for (let i = 0; i < n; i++) {
          await thinkTime();
          const text = `secret ${w}-${i}`;
          mine.push([
            (await log.appendSealed(STREAM, "ev", "info", "svc", utf8(text))).seqno,
            text,
          ]);
        }
        return mine;
      }),
    );
    expect(counts.conflicts).toBeGreaterThan(0);
    await logs[0]!.verifyChain(STREAM, 1n, BigInt(WRITERS * n));
    for (const [seqno, text] of appended.flat()) {
      expect(new TextDecoder().decode(await logs[0]!.openPayload(seqno))).toBe(text);
    }
  });

  it("gives up after 32 conflicts with a storage error saying so", async () => {
    const { store, attempts } = failingInserts("conflict: seqno 1 is not the next seqno (2)");
    const log = new SecureLog({ store });
    await log.open("mem");
    const err = await failure(() => log.append(STREAM, "ev", "info", "svc", utf8("x")));
    expect(attempts.count).toBe(32);
    expect(err).toEqual({
      tag: "storage",
      val:
        "append to stream 'app': gave up after 32 attempts, each lost to another writer " +
        "appending first (last: insert entry: conflict: seqno 1 is not the next seqno (2))",
    });
  });

  it("does not retry any other storage error", async () => {
    const { store, attempts } = failingInserts("disk full");
    const log = new SecureLog({ store });
    await log.open("mem");
    const err = await failure(() => log.append(STREAM, "ev", "info", "svc", utf8("x")));
    expect(attempts.count).toBe(1);
    expect(err).toEqual({ tag: "storage", val: "insert entry: disk full" });
  });
});

/** A MemoryStore whose every insert fails with `message`, counting the attempts. */
function failingInserts(message: string) {
  const attempts = { count: 0 };
  const store = new Proxy(new MemoryStore(), {
    get(target, name) {
      if (name === "secureLogInsert") {
        return () => {
          attempts.count++;
          throw new Error(message);
        };
      }
      const value: unknown = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store, attempts };
}
