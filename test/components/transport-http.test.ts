// The built transport-http component on preview2-shim's real wasi:http, against
// a small node:http server on a free loopback port. The server runs in a worker
// thread: the shim blocks the main thread while the guest waits for a response.

import { createServer } from "node:net";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildComponents } from "../../scripts/build";
import { instantiateComponent } from "./harness";
import { witErr } from "./store-component";

const TOKEN = "s3cret-token-value-0123456789";

// Answers POST /rpc with 200 and echoes the request when the bearer token is
// right, 401 with an err envelope otherwise; other paths misbehave on purpose.
const SERVER = `
const { createServer } = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
let slowSeen = false;
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const send = (status, text) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(text);
    };
    if (req.url === "/slow") return;
    if (req.url === "/slow-once" && !slowSeen) return void (slowSeen = true);
    if (req.url === "/not-json") return send(200, "<html>hello</html>");
    if (req.url === "/no-envelope") return send(200, '{"v":1,"result":5}');
    if (req.url === "/plain-500") return send(500, "internal trouble");
    if (req.url === "/store-error") {
      return send(500, '{"v":1,"err":{"code":"store","message":"segment 7 not found"}}');
    }
    if (req.headers.authorization !== "Bearer " + workerData.token) {
      return send(401, '{"v":1,"err":{"code":"unauthorized","message":"missing or wrong bearer token"}}');
    }
    const request = JSON.parse(body);
    send(200, JSON.stringify({ v: 1, ok: { echo: request, contentType: req.headers["content-type"] } }));
  });
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
parentPort.on("message", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
`;

interface Transport {
  rpc(method: string, paramsJson: string): string;
}

let wasm: string;
let worker: Worker;
let base: string;

beforeAll(async () => {
  const [built] = await buildComponents(["transport-http"]);
  wasm = built!.path;
  worker = new Worker(SERVER, { eval: true, workerData: { token: TOKEN } });
  const port = await new Promise<number>((resolve) => worker.once("message", resolve));
  base = `http://127.0.0.1:${port}`;
}, 300_000);

afterAll(async () => {
  worker.postMessage("stop");
  await new Promise((resolve) => worker.once("exit", resolve));
});

async function transport(env: Record<string, string>): Promise<Transport> {
  const exports = await instantiateComponent<{ transport: Transport }>(wasm, { env });
  return exports.transport;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The err text, checked to hold no trace of the token. */
function errOf(call: () => unknown): string {
  const e = witErr(call);
  expect(typeof e).toBe("string");
  expect(e).not.toContain(TOKEN);
  return e as string;
}

describe("transport-http component", () => {
  it("POSTs the request envelope with the bearer token and returns the JSON of ok", async () => {
    const t = await transport({ SECURE_LOG_RPC_URL: `${base}/rpc`, SECURE_LOG_RPC_TOKEN: TOKEN });
    const ok = JSON.parse(t.rpc("secure-log-get", '{"seqno":"18446744073709551615"}')) as unknown;
    expect(ok).toEqual({
      echo: { v: 1, method: "secure-log-get", params: { seqno: "18446744073709551615" } },
      contentType: "application/json",
    });
  });

  it("returns 401 as an err with the server's message, never the token", async () => {
    const t = await transport({
      SECURE_LOG_RPC_URL: `${base}/rpc`,
      SECURE_LOG_RPC_TOKEN: "wrong-token-123",
    });
    expect(errOf(() => t.rpc("hello", '{"version":1}'))).toBe(
      "http 401: missing or wrong bearer token",
    );
    const none = await transport({ SECURE_LOG_RPC_URL: `${base}/rpc` });
    expect(errOf(() => none.rpc("hello", '{"version":1}'))).toBe(
      "http 401: missing or wrong bearer token",
    );
  });

  it("passes the server's err message and a bounded piece of a foreign body", async () => {
    const env = { SECURE_LOG_RPC_TOKEN: TOKEN };
    const store = await transport({ ...env, SECURE_LOG_RPC_URL: `${base}/store-error` });
    expect(errOf(() => store.rpc("hello", "{}"))).toBe("http 500: segment 7 not found");
    const plain = await transport({ ...env, SECURE_LOG_RPC_URL: `${base}/plain-500` });
    expect(errOf(() => plain.rpc("hello", "{}"))).toBe("http 500: internal trouble");
  });

  it("refuses a malformed response", async () => {
    const env = { SECURE_LOG_RPC_TOKEN: TOKEN };
    const html = await transport({ ...env, SECURE_LOG_RPC_URL: `${base}/not-json` });
    expect(errOf(() => html.rpc("hello", "{}"))).toMatch(
      /^malformed response: response: malformed JSON/,
    );
    const odd = await transport({ ...env, SECURE_LOG_RPC_URL: `${base}/no-envelope` });
    expect(errOf(() => odd.rpc("hello", "{}"))).toBe(
      "malformed response: response.result: unknown field",
    );
  });

  it("says which URL it cannot reach when the server is down", async () => {
    const url = `http://127.0.0.1:${await freePort()}/rpc`;
    const t = await transport({ SECURE_LOG_RPC_URL: url, SECURE_LOG_RPC_TOKEN: TOKEN });
    expect(errOf(() => t.rpc("hello", "{}"))).toMatch(new RegExp(`^cannot reach ${url}: `));
  });

  it("gives up after SECURE_LOG_RPC_TIMEOUT_MS, and the next call still works", async () => {
    const env = { SECURE_LOG_RPC_TOKEN: TOKEN, SECURE_LOG_RPC_TIMEOUT_MS: "300" };
    const t = await transport({ ...env, SECURE_LOG_RPC_URL: `${base}/slow` });
    const started = Date.now();
    expect(errOf(() => t.rpc("hello", "{}"))).toBe(`timed out after 300 ms: ${base}/slow`);
    expect(Date.now() - started).toBeLessThan(5_000);
    const once = await transport({ ...env, SECURE_LOG_RPC_URL: `${base}/slow-once` });
    expect(errOf(() => once.rpc("hello", "{}"))).toMatch(/^timed out after 300 ms/);
    expect(JSON.parse(once.rpc("hello", '{"version":1}'))).toMatchObject({
      echo: { method: "hello" },
    });
  });

  it("says what to set when the environment is incomplete", async () => {
    const t = await transport({});
    expect(errOf(() => t.rpc("hello", "{}"))).toMatch(/^SECURE_LOG_RPC_URL is not set/);
    const bad = await transport({
      SECURE_LOG_RPC_URL: `${base}/rpc`,
      SECURE_LOG_RPC_TIMEOUT_MS: "soon",
    });
    expect(errOf(() => bad.rpc("hello", "{}"))).toMatch(/^SECURE_LOG_RPC_TIMEOUT_MS must be/);
  });
});
