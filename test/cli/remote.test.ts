// --stack remote against a live rpc-server (`npm run serve` on a free
// loopback port, with a token, stopped at the end): a session through the
// server, the client-side head file in the data directory, and the failures
// that must say what to do: no server configured (exit 2), a wrong token and
// an unreachable server (exit 3), never a trap or a stack trace.

import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RPC_SERVER_STACK } from "../../scripts/serve";
import { prepareStack } from "../../scripts/start";
import { freePort, RpcServer } from "../../verify/stores";
import { cli, SEED, tempDir } from "./run";

const TOKEN = randomBytes(24).toString("hex");
let dir: string;
let cleanup: () => Promise<void>;
let data: string;
let server: RpcServer;
let env: Record<string, string>;

const remote = (args: string[], extra: Record<string, string | undefined> = {}) =>
  cli(["--stack", "remote", "--data", data, ...args], { env: { ...env, ...extra } });

/** What no error of the CLI may show: a secret, or a trace of where it was thrown. */
function expectClean(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(SEED);
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/RuntimeError|unreachable/);
}

beforeAll(async () => {
  await prepareStack(RPC_SERVER_STACK);
  await prepareStack("secure-log-remote");
  ({ dir, cleanup } = await tempDir());
  data = join(dir, "client");
  server = await RpcServer.start(join(dir, "server"), TOKEN);
  env = {
    SECURE_LOG_RPC_URL: server.url,
    SECURE_LOG_RPC_TOKEN: TOKEN,
    SECURE_LOG_KEYSTORE_SEED: SEED,
  };
}, 900_000);

afterAll(async () => {
  await server?.stop();
  await cleanup?.();
});

describe("secure-log --stack remote", () => {
  it("without SECURE_LOG_RPC_URL or the token it exits 2 saying how to start a server", async () => {
    const noUrl = await remote(["init"], { SECURE_LOG_RPC_URL: undefined });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain("--stack remote needs an rpc-server: set SECURE_LOG_RPC_URL");
    expect(noUrl.stderr).toContain("npm run serve -- --port 8080 --data DIR");
    expect(existsSync(data)).toBe(false);
    const noToken = await remote(["init"], { SECURE_LOG_RPC_TOKEN: undefined });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/set SECURE_LOG_RPC_TOKEN \(/);
    expectClean(noUrl.stderr + noToken.stderr);
  });

  it("runs a session through the server; the data directory keeps only the head file", async () => {
    const init = await remote(["init"]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(
      /^initialised remote store at http:\/\/127\.0\.0\.1:\d+\S* \(head file in /,
    );
    const a = await remote(["append", "login alice", "--event-type", "auth.login"]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^appended seqno 1 to 'default'/);
    const b = await remote(["append", "logout alice", "--event-type", "auth.logout"]);
    expect(b.stdout).toMatch(/^appended seqno 2 to 'default'/);

    const tail = await remote(["--json", "tail"]);
    expect(tail.code, tail.stderr).toBe(0);
    const entries = JSON.parse(tail.stdout) as { seqno: number; eventType: string }[];
    expect(entries.map((e) => [e.seqno, e.eventType])).toEqual([
      [1, "auth.login"],
      [2, "auth.logout"],
    ]);

    const seal = await remote(["--json", "seal", "--stream", "default"]);
    expect(seal.code, seal.stderr).toBe(0);
    expect(JSON.parse(seal.stdout)).toMatchObject({ segmentId: 1, seqStart: 1, seqEnd: 2 });
    const sign = await remote(["sign", "1", "--key", "remote-signer"]);
    expect(sign.code, sign.stderr).toBe(0);
    expect(sign.stdout).toMatch(/signed segment\s+1/);
    const verify = await remote(["verify"]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^default\s+2\s+1\s+2\s+1\s+1\s.*\bok$/m);
    expectClean(init.stdout + a.stdout + sign.stdout + sign.stderr + verify.stdout);

    // The entries live in the server's database; the client keeps its anti-rollback heads.
    expect((await readdir(data)).sort()).toEqual(["secure-log.db.heads.json"]);
    expect(existsSync(join(dir, "server", "secure-log.db"))).toBe(true);
  });

  it("a wrong token exits 3: the server refused it, set SECURE_LOG_RPC_TOKEN", async () => {
    const r = await remote(["tail"], { SECURE_LOG_RPC_TOKEN: randomBytes(24).toString("hex") });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot open the remote store at ${server.url}`);
    expect(r.stderr).toContain("http 401");
    expect(r.stderr).toContain(
      "the server refused the token: set SECURE_LOG_RPC_TOKEN to the token it was started with",
    );
    expectClean(r.stderr);
  });

  it("an unreachable server exits 3 and says to start one", async () => {
    const url = `http://127.0.0.1:${await freePort()}/rpc`;
    const r = await remote(["head"], {
      SECURE_LOG_RPC_URL: url,
      SECURE_LOG_RPC_TIMEOUT_MS: "3000",
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot open the remote store at ${url}`);
    expect(r.stderr).toContain(`cannot reach ${url}`);
    expect(r.stderr).toContain("is the rpc-server running and SECURE_LOG_RPC_URL right?");
    expectClean(r.stderr);
  });
});
