// The composed rpc-server stack served by `npm run serve` (jco serve) on a
// free loopback port, driven over HTTP with fetch: authentication, the body
// limit, malformed and unknown requests (none of which may change the stored
// data), a real insert and get, and a server that keeps serving after clients
// go away mid-request.

import type { ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stackNamed } from "../../compose/stacks";
import { buildComponents } from "../../scripts/build";
import { composeStack } from "../../scripts/compose";
import { RPC_SERVER_STACK } from "../../scripts/serve";
import { freePort, serveEnv, spawnServe, waitForListening } from "../../verify/stores";

const TOKEN = "e2e-token-0123456789abcdef";
const ZERO = "00".repeat(32);
/** Seconds the test server gives a client to send its body. */
const BODY_TIMEOUT = 2;

let workDir: string;
let stackFile: string;
let server: ChildProcess | undefined;
let url: string;

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "secure-log-e2e-rpc-"));
  const def = stackNamed(RPC_SERVER_STACK);
  await buildComponents([def.socket, ...def.plugs]);
  stackFile = (await composeStack(def)).path;
  const port = await freePort();
  const run = spawnServe(
    ["--port", String(port), "--data", join(workDir, "data"), "--stack", stackFile],
    serveEnv({ SECURE_LOG_RPC_TOKEN: TOKEN, SECURE_LOG_RPC_BODY_TIMEOUT: String(BODY_TIMEOUT) }),
  );
  server = run.child;
  url = await waitForListening(run, 120_000);
}, 900_000);

afterAll(async () => {
  if (server !== undefined) await stop(server);
  await rm(workDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: { v: number; ok?: unknown; err?: { code: string; message: string } };
}

async function post(body: string, token: string | undefined = TOKEN): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers["authorization"] = `Bearer ${token}`;
  const res = await fetch(url, { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

const call = (method: string, params: unknown, token?: string) =>
  post(JSON.stringify({ v: 1, method, params }), token);

function entryRow(seqno: bigint, prev: string, payloadHex: string) {
  return {
    seqno: seqno.toString(),
    streamId: "rpc-e2e",
    sessionId: "session",
    bootId: "boot",
    timestampRfc3339: "2026-11-22T05:00:00Z",
    eventType: "user.login",
    severity: "info",
    producer: "e2e",
    payloadEncoding: "raw",
    payload: payloadHex,
    prevEntryHash: prev,
    entryHash: seqno.toString(16).padStart(2, "0").repeat(32),
  };
}

/** What is stored, read through the server: the global head and the whole test stream. */
async function snapshot(): Promise<unknown> {
  const head = await call("secure-log-global-head", {});
  const range = await call("secure-log-range", {
    streamId: "rpc-e2e",
    fromSeqno: "0",
    toSeqno: "18446744073709551615",
  });
  expect(head.status).toBe(200);
  expect(range.status).toBe(200);
  return { head: head.body.ok, range: range.body.ok };
}

/** The next row to append: the next seqno, chained to the stream's last entry. */
async function nextRow(payloadHex: string) {
  const head = (await call("secure-log-global-head", {})).body.ok as string | null;
  const last = (await call("secure-log-last", { streamId: "rpc-e2e" })).body.ok as {
    entryHash: string;
  } | null;
  return entryRow(BigInt(head ?? "0") + 1n, last?.entryHash ?? ZERO, payloadHex);
}

it("refuses to start without a token", async () => {
  const run = spawnServe(
    ["--port", "1", "--data", join(workDir, "never"), "--stack", stackFile],
    serveEnv({}),
  );
  expect(await run.exited).toBe(2);
  expect(run.stderr()).toMatch(/refusing to start: .*SECURE_LOG_RPC_TOKEN/);
  expect(run.stdout()).toBe("");
});

it("answers hello", async () => {
  expect(await call("hello", { version: 1 })).toEqual({
    status: 200,
    body: { v: 1, ok: { version: 1 } },
  });
});

it("inserts and gets an entry", async () => {
  const row = await nextRow("68656c6c6f");
  const inserted = await call("secure-log-insert", { row });
  expect(inserted).toEqual({ status: 200, body: { v: 1, ok: row.seqno } });
  const got = await call("secure-log-get", { seqno: row.seqno });
  expect(got).toEqual({ status: 200, body: { v: 1, ok: row } });
  // The client's init names a path; the server keeps its own database open.
  expect(await call("init", { config: "/data/elsewhere.db" })).toEqual({
    status: 200,
    body: { v: 1, ok: null },
  });
  expect((await call("secure-log-get", { seqno: row.seqno })).body.ok).toEqual(row);
});

describe("bad requests change nothing", () => {
  const insert = async (row: object, token?: string) => call("secure-log-insert", { row }, token);
  const cases: [string, number, string, () => Promise<Answer>][] = [
    ["no token", 401, "unauthorized", async () => insert(await nextRow("01"), "")],
    [
      "no authorization header",
      401,
      "unauthorized",
      async () => {
        const body = { v: 1, method: "secure-log-insert", params: { row: await nextRow("02") } };
        const res = await fetch(url, { method: "POST", body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as Answer["body"] };
      },
    ],
    ["wrong token", 401, "unauthorized", async () => insert(await nextRow("03"), TOKEN + "x")],
    [
      "oversized body (2 MiB payload, limit 1 MiB)",
      413,
      "too-large",
      async () => insert(await nextRow("ab".repeat(1024 * 1024))),
    ],
    [
      "malformed JSON",
      400,
      "bad-request",
      () => post('{"v":1,"method":"secure-log-insert","params":{'),
    ],
    ["unknown method", 400, "unknown-method", () => call("secure-log-delete", { seqno: "1" })],
    [
      "wrong params (seqno as a number)",
      400,
      "bad-request",
      async () => insert({ ...(await nextRow("04")), seqno: 2 }),
    ],
    [
      "wrong params (unknown field)",
      400,
      "bad-request",
      async () => insert({ ...(await nextRow("05")), extra: "x" }),
    ],
    [
      "another rpc version",
      400,
      "version",
      async () => {
        const params = { row: await nextRow("06") };
        return post(JSON.stringify({ v: 2, method: "secure-log-insert", params }));
      },
    ],
    [
      "an insert that does not extend the chain",
      409,
      "conflict",
      async () => insert({ ...(await nextRow("07")), prevEntryHash: "11".repeat(32) }),
    ],
  ];

  it.each(cases)("%s → %i %s", async (_name, status, code, send) => {
    const before = await snapshot();
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.body.v).toBe(1);
    expect(answer.body.err?.code).toBe(code);
    expect(answer.body.err?.message).not.toContain(TOKEN);
    expect(await snapshot()).toEqual(before);
  });

  it("answers other paths 404 and other methods 405", async () => {
    const before = await snapshot();
    expect((await fetch(url.replace(/\/rpc$/, "/store"), { method: "POST" })).status).toBe(404);
    const get = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await snapshot()).toEqual(before);
  });
});

it("keeps serving after a client disconnects mid-request", async () => {
  const before = await snapshot();
  const { port, hostname } = new URL(url);
  await new Promise<void>((resolve) => {
    const req = httpRequest({
      host: hostname,
      port,
      path: "/rpc",
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    // Chunked upload of a valid-looking insert, abandoned halfway.
    req.write(`{"v":1,"method":"secure-log-insert","params":{"row":{"payload":"`);
    req.write("ab".repeat(200 * 1024));
    setTimeout(() => req.destroy(), 200);
  });
  expect((await call("hello", { version: 1 })).status).toBe(200);
  expect(await snapshot()).toEqual(before);

  // And a valid append still works afterwards.
  const row = await nextRow("ff");
  expect((await call("secure-log-insert", { row })).status).toBe(200);
});

it("answers a stalled upload 408 and serves the others meanwhile", async () => {
  const before = await snapshot();
  const { port, hostname } = new URL(url);
  const started = Date.now();
  const stalled = new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
    const req = httpRequest({
      host: hostname,
      port,
      path: "/rpc",
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      let body = "";
      res.on("data", (b: Buffer) => (body += b.toString()));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started });
        req.destroy();
      });
    });
    req.write('{"v":1,"method":"hello","params":');
  });
  await new Promise((r) => setTimeout(r, 200));
  const hello = await call("hello", { version: 1 });
  const answer = await stalled;
  expect(answer.status).toBe(408);
  expect(JSON.parse(answer.body)).toEqual({
    v: 1,
    err: {
      code: "bad-request",
      message: `the request body did not arrive within ${BODY_TIMEOUT} s`,
    },
  });
  expect(answer.ms).toBeLessThan(BODY_TIMEOUT * 1000 + 3000);
  expect(hello.status).toBe(200);
  expect(await snapshot()).toEqual(before);
});
