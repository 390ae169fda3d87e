// The composed remote stack (store-remote + transport-http) end to end against
// live rpc-servers (`npm run serve`, separate processes on free loopback
// ports, stopped at the end): the harness scenario, where a new instance on
// the same directory is a new client of the same server and the tamper step
// stops the server, edits its database's bytes and starts it again; then four
// writers in four processes racing to append to one stream through one
// server, which must end with one intact chain.

import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RPC_SERVER_STACK } from "../../scripts/serve";
import { prepareStack } from "../../scripts/start";
import { allChecks, type VerifyReport } from "../../verify/checks";
import { runScenario } from "../../verify/scenario";
import { RpcServer } from "../../verify/stores";
import { WasmStack } from "../../verify/wasm-stack";
import { keystoreEnv } from "../../verify/workload";

const WRITERS = 4;
const PER_WRITER = 200;
const STREAM = "race.one";

const failures = (r: VerifyReport) =>
  allChecks(r)
    .filter((c) => !c.ok)
    .map((c) => `${c.section} / ${c.name}: ${c.detail}`);

let workRoot: string;
let stackFile: string;
let stack: WasmStack;
const servers: RpcServer[] = [];

beforeAll(async () => {
  workRoot = await mkdtemp(join(tmpdir(), "secure-log-e2e-remote-"));
  await prepareStack(RPC_SERVER_STACK);
  stackFile = await prepareStack("secure-log-remote");
  stack = await WasmStack.load(stackFile);
}, 900_000);

afterAll(async () => {
  await stack?.close();
  await Promise.all(servers.map((s) => s.stop()));
  await rm(workRoot, { recursive: true, force: true });
});

it("passes the scenario against a live rpc-server, tampering with its database", async () => {
  const workDir = join(workRoot, "scenario");
  await mkdir(workDir);
  const report = await runScenario(stack, { workDir });
  expect(failures(report)).toEqual([]);
  expect(allChecks(report).length).toBeGreaterThan(30);
  const reopen = report.sections.find((s) => s.title === "new instance on the same directory");
  expect(reopen?.checks.map((c) => c.name)).toContain("append continues the chain");
  const tamper = allChecks(report).find((c) => c.name === "flip one byte of a stored entry");
  expect(tamper?.detail).toMatch(
    /^server stopped, rpc-server\/secure-log\.db(-wal)? page .*, server restarted$/,
  );
}, 600_000);

interface WriterResult {
  writer: string;
  seqnos: string[];
  conflicts: number;
  ms: number;
}

function startWriter(url: string, token: string, writer: number, dataDir: string) {
  const args = [stackFile, dataDir, url, token, STREAM, String(writer), String(PER_WRITER)];
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "remote-append-child.ts"), ...args],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const lines = createInterface({ input: child.stdout! });
  let readyFn: () => void;
  const ready = new Promise<void>((r) => (readyFn = r));
  const done = new Promise<WriterResult>((resolve, reject) => {
    lines.on("line", (line) => {
      if (line === "ready") readyFn();
      else if (line.startsWith("{")) resolve(JSON.parse(line) as WriterResult);
    });
    child.on("exit", (code) => reject(new Error(`writer ${writer} exited ${code}: ${stderr}`)));
  });
  return { child, ready, done };
}

it(`${WRITERS} writers in ${WRITERS} processes append ${PER_WRITER} each to one stream: one intact chain`, async () => {
  const serverDir = join(workRoot, "race-server");
  await mkdir(serverDir);
  const token = "race-token-0123456789abcdef";
  const server = await RpcServer.start(serverDir, token);
  servers.push(server);
  const clientEnv = (dir: string) => ({
    dataDir: dir,
    env: { ...keystoreEnv("ed25519"), SECURE_LOG_RPC_URL: server.url, SECURE_LOG_RPC_TOKEN: token },
  });
  const ownDir = join(workRoot, "race-client");
  await mkdir(ownDir);
  const api = await stack.instantiate(clientEnv(ownDir));
  await api.open(stack.storeConfig);
  await api.createStream(STREAM, "protected", "the race");

  const writers = [];
  for (let w = 0; w < WRITERS; w++) {
    const dir = join(workRoot, `race-writer-${w}`);
    await mkdir(dir);
    writers.push(startWriter(server.url, token, w, dir));
  }
  await Promise.all(writers.map((w) => w.ready));
  const started = performance.now();
  for (const w of writers) w.child.stdin!.write("go\n");
  const results = await Promise.all(writers.map((w) => w.done));
  const seconds = (performance.now() - started) / 1000;

  const total = WRITERS * PER_WRITER;
  const all = results.flatMap((r) => r.seqnos.map(Number)).sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  const conflicts = results.reduce((n, r) => n + r.conflicts, 0);
  // The writers really raced: some appends lost and were retried.
  expect(conflicts).toBeGreaterThan(0);
  console.log(
    `race: ${total} appends by ${WRITERS} processes in ${seconds.toFixed(1)} s ` +
      `(${(total / seconds).toFixed(0)}/s), ${conflicts} conflicts (409) retried; ` +
      `per writer ${results.map((r) => r.conflicts).join(", ")}`,
  );

  // A new client sees one chain of 800 entries, every payload once.
  const reader = await stack.instantiate(clientEnv(ownDir));
  await reader.open(stack.storeConfig);
  expect(await reader.head(STREAM)).toBe(BigInt(total));
  await reader.verifyChain(STREAM, 1n, BigInt(total));
  const res = await fetch(server.url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      v: 1,
      method: "secure-log-range",
      params: { streamId: STREAM, fromSeqno: "1", toSeqno: String(total) },
    }),
  });
  const rows = ((await res.json()) as { ok: { seqno: string; payload: string }[] }).ok;
  expect(rows.map((r) => Number(r.seqno))).toEqual(all);
  const payloads = rows.map((r) => Buffer.from(r.payload, "hex").toString()).sort();
  const expected = [];
  for (let w = 0; w < WRITERS; w++)
    for (let i = 0; i < PER_WRITER; i++) expected.push(`w${w}-${i}`);
  expect(payloads).toEqual(expected.sort());
}, 900_000);
