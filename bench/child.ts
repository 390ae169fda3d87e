// One stack's measurements in a process of its own, so cold start and memory
// are not coloured by the other stack. Prints one JSON line (a ChildResult).
//
//   tsx bench/child.ts <dist/*.wasm | node> <appends> <data dir>

import { mkdir } from "node:fs/promises";
import type { InstanceOptions, Stack } from "../verify/stack-api";
import { keystoreEnv } from "../verify/workload";
import { timeLog, type LogTimings } from "./workload";

export interface ChildResult extends LogTimings {
  /** wasm: compile the core modules + instantiate + open. node: import the core + construct + open. */
  coldStartMs: number;
  /** RSS growth from before the cold start to after it (the instance's footprint). */
  rssStartMb: number;
  /** RSS growth from before the cold start to the end of the workload. */
  rssEndMb: number;
}

const mb = (bytes: number) => bytes / (1024 * 1024);

async function main(spec: string, appends: number, dataDir: string): Promise<ChildResult> {
  await mkdir(dataDir, { recursive: true });
  // A remote stack's server, started by bench/run.ts (SECURE_LOG_RPC_URL and _TOKEN).
  const rpc: Record<string, string> = {};
  for (const name of ["SECURE_LOG_RPC_URL", "SECURE_LOG_RPC_TOKEN"]) {
    const value = process.env[name];
    if (value !== undefined) rpc[name] = value;
  }
  const options: InstanceOptions = { dataDir, env: { ...keystoreEnv("ed25519"), ...rpc } };
  let stack: Stack | undefined;
  if (spec !== "node") {
    // Transpiling (cached by the parent) and reading the JS glue are not cold start.
    const { WasmStack } = await import("../verify/wasm-stack");
    stack = await WasmStack.load(spec);
  }
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  const t = performance.now();
  if (stack === undefined) {
    const { NodeStack } = await import("../verify/node-stack");
    stack = new NodeStack();
  }
  const api = await stack.instantiate(options);
  await api.open(stack.storeConfig);
  const coldStartMs = performance.now() - t;
  const rss1 = process.memoryUsage().rss;
  const timings = await timeLog(api, appends);
  const rss2 = process.memoryUsage().rss;
  return { ...timings, coldStartMs, rssStartMb: mb(rss1 - rss0), rssEndMb: mb(rss2 - rss0) };
}

const [spec, appends, dataDir] = process.argv.slice(2);
if (spec === undefined || appends === undefined || dataDir === undefined) {
  console.error("usage: bench/child.ts <dist/*.wasm | node> <appends> <data dir>");
  process.exitCode = 2;
} else {
  main(spec, Number(appends), dataDir).then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exitCode = 1;
    },
  );
}
