// `npm run bench [-- --appends N] [--stack dist/<stack>.wasm]`: a composed
// stack (the default one unless named) and the same pure core in plain Node
// (in-process store), side by side in one run, each in its own process,
// printed as one table with ratios.
// A benchmark, not a test: it reports numbers and fails only if a run fails.
// `--micro [--rows N]` instead times verify-chain's per-entry steps inside
// StarlingMonkey (bench/micro/); docs/design/performance.md reads both.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { STACKS } from "../compose/stacks";
import { RPC_SERVER_STACK } from "../scripts/serve";
import { prepareStack } from "../scripts/start";
import { RpcServer } from "../verify/stores";
import { WasmStack } from "../verify/wasm-stack";
import type { ChildResult } from "./child";
import { formatMicro, micro } from "./micro/run";
import { profile } from "./profile";
import { formatTable, type Row } from "./table";

/** Below these the stack is profiled (the issue's bar for the file stack). */
const MIN_APPEND_PER_SEC = 200;
const MIN_VERIFY_PER_SEC = 5000;

/** Every log stack; a remote one gets an rpc-server started for its run. */
const LOG_STACKS = STACKS.filter((s) => s.socket === "core").map((s) => s.name);

/** A stack whose store is an rpc-server's (store-remote), known by its file name. */
const isRemote = (path: string) =>
  STACKS.some((s) => s.name === basename(path, ".wasm") && s.plugs.includes("store-remote"));

const USAGE =
  "usage: bench/run.ts [--appends N] [--stack dist/<stack>.wasm] [--profile] | --micro [--rows N]";

const CHILD = join(import.meta.dirname, "child.ts");
const TSX = join(import.meta.dirname, "..", "node_modules", "tsx", "dist", "cli.mjs");

function runChild(
  spec: string,
  appends: number,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", TSX, CHILD, spec, String(appends), dataDir],
      {
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, ...env },
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !line.startsWith("{"))
        reject(new Error(`bench of ${spec} failed (exit ${code}): ${out}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

/** "secure-log-file: the log in one JSON-lines file, software keys" for a known stack. */
function stackNote(path: string): string {
  const name = basename(path, ".wasm");
  const def = STACKS.find((s) => s.name === name);
  if (def === undefined) return name;
  const where = def.plugs.includes("store-remote")
    ? "; the rpc-server (secure-log-rpc-server.wasm under jco serve) on a loopback port, its own process"
    : "";
  return `${name}: ${def.description}, every append durable${where}`;
}

export function rows(stack: ChildResult, node: ChildResult): Row[] {
  const n = stack.appends;
  return [
    {
      metric: `append, entries/s (${n} × 256 B)`,
      stack: stack.appendPerSec,
      node: node.appendPerSec,
      higherIsBetter: true,
    },
    {
      metric: `verify-chain, entries/s (${n} entries)`,
      stack: stack.verifyPerSec,
      node: node.verifyPerSec,
      higherIsBetter: true,
    },
    {
      metric: `close-segment, ms (${n} entries)`,
      stack: stack.closeMs,
      node: node.closeMs,
      higherIsBetter: false,
    },
    {
      metric: "inclusion proof build + verify, ms",
      stack: stack.proofMs,
      node: node.proofMs,
      higherIsBetter: false,
    },
    {
      metric: "cold start, ms",
      stack: stack.coldStartMs,
      node: node.coldStartMs,
      higherIsBetter: false,
    },
    {
      metric: "RSS delta after start, MB",
      stack: stack.rssStartMb,
      node: node.rssStartMb,
      higherIsBetter: false,
    },
    {
      metric: "RSS delta after workload, MB",
      stack: stack.rssEndMb,
      node: node.rssEndMb,
      higherIsBetter: false,
    },
  ];
}

/** The stack's run; a remote stack's against an rpc-server started for it and stopped after. */
async function benchStack(path: string, appends: number, dataDir: string): Promise<ChildResult> {
  if (!isRemote(path)) return runChild(path, appends, dataDir);
  const token = randomBytes(24).toString("hex");
  const serverDir = join(dataDir, "rpc-server");
  await mkdir(serverDir, { recursive: true });
  const server = await RpcServer.start(serverDir, token);
  try {
    const env = { SECURE_LOG_RPC_URL: server.url, SECURE_LOG_RPC_TOKEN: token };
    return await runChild(path, appends, dataDir, env);
  } finally {
    await server.stop();
  }
}

async function main(argv: string[]): Promise<void> {
  let appends = 1000;
  let stackPath: string | undefined;
  let forceProfile = false;
  let microRows: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--appends") appends = Number(argv[++i]);
    else if (argv[i] === "--stack") stackPath = argv[++i];
    else if (argv[i] === "--profile") forceProfile = true;
    else if (argv[i] === "--micro") microRows ??= 1000;
    else if (argv[i] === "--rows") microRows = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}; ${USAGE}`);
  }
  if (microRows !== undefined) {
    if (!Number.isInteger(microRows) || microRows < 1)
      throw new Error("--rows must be a positive integer");
    for (const line of formatMicro(microRows, await micro(microRows))) console.log(line);
    return;
  }
  if (!Number.isInteger(appends) || appends < 1)
    throw new Error("--appends must be a positive integer");
  // Every log stack unless one is named, each beside the same Node baseline.
  const stackPaths = stackPath !== undefined ? [stackPath] : [];
  if (stackPath === undefined) {
    for (const name of LOG_STACKS)
      stackPaths.push(relative(process.cwd(), await prepareStack(name)));
  }
  if (stackPaths.some(isRemote)) await prepareStack(RPC_SERVER_STACK);
  for (const path of stackPaths) await WasmStack.load(path); // transpile now (cached), so the child times none of it

  const work = await mkdtemp(join(tmpdir(), "secure-log-bench-"));
  try {
    console.log(`bench: ${appends} appends per stack, each stack in its own process`);
    const node = await runChild("node", appends, join(work, "node"));
    for (const [i, path] of stackPaths.entries()) {
      const stack = await benchStack(path, appends, join(work, `stack-${i}`));
      console.log(`\n${formatTable(path, "node core", rows(stack, node))}`);
      console.log(`${stackNote(path)}; node core: in-process MemoryStore, nothing written.`);
      const slow =
        stack.appendPerSec < MIN_APPEND_PER_SEC || stack.verifyPerSec < MIN_VERIFY_PER_SEC;
      // The profile measures the local parts; a remote stack's time is the network's.
      if ((slow && !isRemote(path)) || forceProfile) {
        console.log(
          `\nprofile${slow ? ` (below ${MIN_APPEND_PER_SEC} appends/s or ${MIN_VERIFY_PER_SEC} verified entries/s)` : ""}: the stack's parts measured alone`,
        );
        for (const line of await profile(Math.min(appends, 500))) console.log(`  ${line}`);
      }
    }
    console.log(
      "\ncold start: wasm = compile core modules + instantiate + open (transpile excluded); node = import the core + construct + open.",
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
