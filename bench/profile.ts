// Where the file stack's time goes, measured from the host by taking the
// stack apart: the core component alone over an in-process store the host
// counts and times (so what remains is the core's own work plus the boundary),
// one cheap export call (the boundary alone), and the store-file component
// alone answering the calls an append and a verify-chain make.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Store } from "../src/core/store";
import { MemoryStore } from "../src/stores/memory-store";
import { DIST_COMPONENTS_DIR } from "../scripts/lib/paths";
import { transpileCached } from "../verify/transpile-cache";
import { wasiImports } from "../verify/wasi-imports";
import { stackApi } from "../verify/wasm-stack";
import { payload } from "../verify/workload";

type Fn = (...args: unknown[]) => unknown;
type Interface = Record<string, Fn>;

interface CallStats {
  calls: Map<string, number>;
  ms: number;
}

/** The store's methods bound and wrapped, counting calls and host time per method. */
function countingStore(store: Store, stats: CallStats): Interface {
  const out: Interface = {};
  const proto = Object.getPrototypeOf(store) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = (store as unknown as Record<string, unknown>)[name];
    if (name === "constructor" || typeof method !== "function") continue;
    out[name] = (...args: unknown[]) => {
      stats.calls.set(name, (stats.calls.get(name) ?? 0) + 1);
      const t = performance.now();
      try {
        return (method as Fn).apply(store, args);
      } finally {
        stats.ms += performance.now() - t;
      }
    };
  }
  return out;
}

const refuse = () => {
  throw new Error("not available while profiling");
};
class Key {
  algorithm = refuse;
  publicKey = refuse;
  sign = refuse;
}
const encoderStub: Interface = { encodeEntry: refuse, encodeCheckpoint: refuse, name: refuse };

async function instantiate(part: string, dataDir: string, others: Record<string, Interface>) {
  const t = await transpileCached(await readFile(join(DIST_COMPONENTS_DIR, `${part}.wasm`)));
  const mod = (await import(t.module)) as {
    instantiate: (
      g: (f: string) => Promise<WebAssembly.Module>,
      i: unknown,
    ) => Promise<Record<string, Interface>>;
  };
  const compile = async (f: string) => WebAssembly.compile(await readFile(join(t.dir, f)));
  return mod.instantiate(compile, wasiImports(t.imports, { dataDir, env: {} }, others));
}

const us = (ms: number, n: number) => `${((ms / n) * 1000).toFixed(0)} µs`;
/** "secureLogLast ×1, secureLogStreamUpsert 1 in 500" */
const perCall = (stats: CallStats, n: number) =>
  [...stats.calls]
    .map(([name, c]) => (c % n === 0 ? `${name} ×${c / n}` : `${name} ${c} in ${n}`))
    .join(", ");

async function time(n: number, f: (i: number) => unknown): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i++) await f(i);
  return performance.now() - t;
}

export async function profile(appends: number): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "secure-log-profile-"));
  const lines: string[] = [];
  try {
    const body = payload(256, 7);

    // The core alone: the host answers its store calls from memory.
    const stats: CallStats = { calls: new Map(), ms: 0 };
    const core = await instantiate("core", dir, {
      "secure-log:log/store": countingStore(new MemoryStore(), stats),
      "keys:keystore/signer": { Key: Key as unknown as Fn, getKey: refuse },
      "secure-log:log/encoder": encoderStub,
    });
    const log = stackApi({
      log: core.log!,
      checkpoint: core.checkpoint!,
      encoder: core.encoder!,
      logger: undefined,
    });
    await log.open("profile");
    await log.append("warm", "e", "info", "p", body);
    const crossing = await time(1000, () => core.encoder!.name!());
    stats.calls.clear();
    stats.ms = 0;
    const appendMs = await time(appends, () => log.append("bench", "e", "info", "p", body));
    const appendStats = { calls: new Map(stats.calls), ms: stats.ms };
    stats.calls.clear();
    stats.ms = 0;
    const verifyMs = await time(1, () => log.verifyChain("bench", 1n, BigInt(appends + 1)));

    lines.push(`one export call into a JS component (encoder.name): ${us(crossing, 1000)}`);
    lines.push(
      `core alone, host in-process store: append ${us(appendMs, appends)}; per append ${perCall(appendStats, appends)}; host store time ${us(appendStats.ms, appends)}`,
    );
    lines.push(
      `core alone, host in-process store: verify-chain of ${appends} ${verifyMs.toFixed(0)} ms (${us(verifyMs, appends)}/entry); ${perCall(stats, 1)}; host store time ${stats.ms.toFixed(1)} ms`,
    );

    // The store alone, answering an append's calls and a verify-chain's range.
    const store = (await instantiate("store-file", dir, { "secure-log:log/encoder": encoderStub }))
      .store!;
    store.init!("/data/profile.jsonl");
    const rows = [];
    const mem = new MemoryStore();
    mem.init("x");
    const parts: Record<string, number> = { streamGet: 0, last: 0, globalHead: 0, insert: 0 };
    // Chained rows (each prev is the last entry hash): a store may refuse a broken link.
    let prev = new Uint8Array(32);
    for (let i = 1; i <= appends; i++) {
      const row = {
        seqno: BigInt(i),
        streamId: "bench",
        sessionId: "s",
        bootId: "b",
        timestampRfc3339: "2026-01-01T00:00:00+00:00",
        eventType: "e",
        severity: "info" as const,
        producer: "p",
        payloadEncoding: "cbor",
        payload: body,
        prevEntryHash: prev,
        entryHash: new Uint8Array(32).fill(i & 0xff),
      };
      prev = row.entryHash;
      rows.push(row);
      parts.streamGet! += await time(1, () => store.secureLogStreamGet!("bench"));
      parts.last! += await time(1, () => store.secureLogLast!("bench"));
      parts.globalHead! += await time(1, () => store.secureLogGlobalHead!());
      parts.insert! += await time(1, () => store.secureLogInsert!(row));
    }
    const rangeMs = await time(1, () => store.secureLogRange!("bench", 1n, BigInt(appends)));
    lines.push(
      `store-file alone, per call: ${Object.entries(parts)
        .map(([k, ms]) => `${k} ${us(ms, appends)}`)
        .join(", ")} (insert is the durable write)`,
    );
    lines.push(
      `store-file alone: range of ${appends} rows ${rangeMs.toFixed(0)} ms (${us(rangeMs, appends)}/row, JSON → rows → across the boundary)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}
