// `npm run bench:bundle [-- --entries N] [--stack dist/<stack>.wasm]`: the
// evidence bundle's costs, side by side in one run. The same log (N entries
// in one stream, sealed and signed every SEGMENT entries) is built on a
// composed stack and on the pure core in plain Node; each is exported
// (src/bundle/collect.ts) and verified as `secure-log verify` does; then the
// exported bundle is verified offline as `verify --bundle` does.
// A benchmark, not a test: it reports numbers and fails only if a run fails.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleSource } from "../cli/verify-bundle";
import { verifyStream } from "../cli/verify-stream";
import { collectBundle, type ExportSource } from "../src/bundle/collect";
import { MemoryHeadStorage } from "../src/core/head-file";
import { SecureLog } from "../src/core/log";
import { SoftwareSigner } from "../src/keystore/software-signer";
import { MemoryStore } from "../src/stores/memory-store";
import { prepareStack } from "../scripts/start";
import type { StackApi } from "../verify/stack-api";
import { WasmStack } from "../verify/wasm-stack";
import { formatTable, type Row } from "./table";

const SEGMENT = 250;
const SEED = "5e".repeat(32);
const KEY = "bench-signer";

type Log = ExportSource &
  Parameters<typeof verifyStream>[0] &
  Pick<StackApi, "append" | "closeSegment" | "signSegment">;

function args(argv: readonly string[]): { entries: number; stack: string | undefined } {
  let entries = 2000;
  let stack: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--entries") entries = Number(argv[++i]);
    else if (argv[i] === "--stack") stack = argv[++i];
    else throw new Error(`usage: bench/bundle.ts [--entries N] [--stack dist/<stack>.wasm]`);
  }
  if (!Number.isSafeInteger(entries) || entries < SEGMENT) {
    throw new Error(`--entries must be a whole number ≥ ${SEGMENT}`);
  }
  return { entries, stack };
}

async function fill(log: Log, entries: number): Promise<void> {
  const payload = new TextEncoder().encode(JSON.stringify({ user: "alice", action: "read", n: 0 }));
  for (let i = 1; i <= entries; i++) {
    await log.append("default", "bench.event", "info", "bench", payload);
    if (i % SEGMENT === 0) {
      const seg = await log.closeSegment("default");
      await log.signSegment(KEY, seg.segmentId);
    }
  }
}

const seconds = async (f: () => Promise<unknown>) => {
  const start = performance.now();
  await f();
  return (performance.now() - start) / 1000;
};

interface Measured {
  exportPerSec: number;
  verifyPerSec: number;
  bundleVerifyPerSec: number;
  bundleBytes: number;
}

async function measure(log: Log, entries: number): Promise<Measured> {
  await fill(log, entries);
  const signer = SoftwareSigner.fromEnvironment(
    { SECURE_LOG_KEYSTORE_SEED: SEED },
    undefined,
    () => {},
  );
  const keyOf = async (identity: string) => {
    const key = await signer.getKey(identity);
    return { identity, algorithm: key.algorithm(), publicKey: key.publicKey() };
  };
  let text = "";
  const exportS = await seconds(async () => {
    ({ text } = await collectBundle(log, {
      source: "bench",
      exportedAtRfc3339: new Date().toISOString(),
      keyOf,
      heads: [],
    }));
  });
  const verifyS = await seconds(async () => {
    const r = await verifyStream(log, "default");
    if (!r.ok) throw new Error(`verify failed: ${r.failure}`);
  });
  const bundleS = await seconds(async () => {
    const source = await bundleSource(text, "bench", []);
    const r = await verifyStream(source.target, "default");
    if (!r.ok || r.entries !== entries) throw new Error(`bundle verify failed: ${r.failure}`);
  });
  return {
    exportPerSec: entries / exportS,
    verifyPerSec: entries / verifyS,
    bundleVerifyPerSec: entries / bundleS,
    bundleBytes: Buffer.byteLength(text),
  };
}

async function main(): Promise<void> {
  const { entries, stack: stackPath } = args(process.argv.slice(2));
  const path = stackPath ?? (await prepareStack("secure-log-sqlite"));
  const dir = await mkdtemp(join(tmpdir(), "secure-log-bench-bundle-"));
  try {
    const stack = await WasmStack.load(path);
    const api = await stack.instantiate({ dataDir: dir, env: { SECURE_LOG_KEYSTORE_SEED: SEED } });
    await api.open(stack.storeConfig);
    const onStack = await measure(api, entries);
    const core = new SecureLog({
      store: new MemoryStore(),
      signer: SoftwareSigner.fromEnvironment(
        { SECURE_LOG_KEYSTORE_SEED: SEED },
        undefined,
        () => {},
      ),
      heads: new MemoryHeadStorage(),
    });
    await core.open("bench");
    const inNode = await measure(core, entries);
    const rows: Row[] = [
      {
        metric: "export (entries/s)",
        stack: onStack.exportPerSec,
        node: inNode.exportPerSec,
        higherIsBetter: true,
      },
      {
        metric: "verify, as `verify` (entries/s)",
        stack: onStack.verifyPerSec,
        node: inNode.verifyPerSec,
        higherIsBetter: true,
      },
      {
        metric: "verify --bundle, offline (entries/s)",
        stack: onStack.bundleVerifyPerSec,
        node: inNode.bundleVerifyPerSec,
        higherIsBetter: true,
      },
      {
        metric: "bundle size (bytes/entry)",
        stack: onStack.bundleBytes / entries,
        node: inNode.bundleBytes / entries,
        higherIsBetter: false,
      },
    ];
    console.log(
      `${entries} entries, sealed and signed (ed25519) every ${SEGMENT}; the offline row verifies each side's own bundle in plain Node\n`,
    );
    console.log(formatTable(stack.name, "node core", rows));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
