// The crash test's child process: runs a dist stack on a data directory and
// appends to one stream until it is killed, printing each seqno as soon as
// append has returned it. stdout to a pipe is synchronous in Node on Linux, so
// a printed seqno was acknowledged before the next append began.
//
//   node --import tsx test/e2e/crash-child.ts <dist/stack.wasm> <data dir>
//
// Every entry of the stream is `crashEntry(its seqno)`, whoever appended it,
// so the parent can check each one after the crash.

import { pathToFileURL } from "node:url";
import { WasmStack } from "../../verify/wasm-stack";
import { keystoreEnv, payload } from "../../verify/workload";

export const CRASH_STREAM = "crash.loop";
export const CRASH_PRODUCER = "crash-child";

/** Sizes from one page fragment to several overflow pages (SQLite) or a long line (file). */
const SIZES = [17, 300, 5000, 70_000];

export function crashEntry(seqno: bigint): { eventType: string; payload: Uint8Array } {
  const n = Number(seqno);
  return { eventType: `crash.${n}`, payload: payload(SIZES[n % SIZES.length]!, n) };
}

async function main(stackPath: string, dataDir: string): Promise<void> {
  const stack = await WasmStack.load(stackPath);
  const api = await stack.instantiate({ dataDir, env: keystoreEnv("ed25519") });
  await api.open(stack.storeConfig);
  for (let next = ((await api.head(CRASH_STREAM)) ?? 0n) + 1n; ; next++) {
    const e = crashEntry(next);
    const r = await api.append(CRASH_STREAM, e.eventType, "info", CRASH_PRODUCER, e.payload);
    if (r.seqno !== next) throw new Error(`append returned seqno ${r.seqno}, expected ${next}`);
    process.stdout.write(`${r.seqno}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [stackPath, dataDir] = process.argv.slice(2);
  if (stackPath === undefined || dataDir === undefined) {
    console.error("usage: crash-child.ts <dist/stack.wasm> <data dir>");
    process.exit(2);
  }
  main(stackPath, dataDir).catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
}
