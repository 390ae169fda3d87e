// A full session through the CLI on the SQLite stack: init, appends from
// stdin, an argument and a file, seal, prove, offline proof check, sign,
// verify; then one payload byte flipped in the database → verify exits 1.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareStack } from "../../scripts/start";
import { parseSubmission } from "../../src/core/witness";
import { flipPayloadBit } from "../../verify/data-sqlite";
import { cli, SEED, tempDir } from "./run";

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
const keyEnv = { SECURE_LOG_KEYSTORE_SEED: SEED };
const run = (args: string[], options: Parameters<typeof cli>[1] = {}) =>
  cli(["--data", data, ...args], options);

const STDIN_PAYLOAD = '{"user":"alice","action":"login","from":"10.0.0.7"}';
const FILE_PAYLOAD = "nightly report: 0 failed jobs, 17 succeeded\n";

beforeAll(async () => {
  await prepareStack("secure-log-sqlite");
  ({ dir, cleanup } = await tempDir());
  data = join(dir, "data");
}, 600_000);

afterAll(() => cleanup());

describe("secure-log session (sqlite stack)", () => {
  it("init creates the data directory and the store", async () => {
    const r = await run(["init"], { launcher: true });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/initialised sqlite store in .*secure-log\.db/);
  });

  it("appends from stdin, an argument and a file", async () => {
    const a = await run(["append", "-", "--event-type", "auth.login", "--severity", "notice"], {
      input: STDIN_PAYLOAD,
    });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^appended seqno 1 to 'default'/);
    const b = await run(["--json", "append", "second entry from an argument"]);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ stream: "default", seqno: 2 });
    const file = join(dir, "report.txt");
    await writeFile(file, FILE_PAYLOAD);
    const c = await run(["append", "--file", file, "--producer", "cron", "--encoding", "text"]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/^appended seqno 3 /);

    const tail = await run(["--json", "tail", "-n", "2"]);
    expect(tail.code, tail.stderr).toBe(0);
    const entries = JSON.parse(tail.stdout) as { seqno: number; payloadText: string }[];
    expect(entries.map((e) => e.seqno)).toEqual([2, 3]);
    expect(entries[1]!.payloadText).toBe(FILE_PAYLOAD);
  });

  it("seals, proves offline and signs", async () => {
    const seal = await run(["--json", "seal", "--stream", "default"]);
    expect(seal.code, seal.stderr).toBe(0);
    const segment = JSON.parse(seal.stdout) as { segmentId: number; merkleRoot: string };
    expect(segment.segmentId).toBe(1);

    const prove = await run(["prove", "2"]);
    expect(prove.code, prove.stderr).toBe(0);
    const proofFile = join(dir, "proof-2.json");
    await writeFile(proofFile, prove.stdout);
    const ok = await cli(["verify-proof", proofFile, "--root", segment.merkleRoot]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/seqno 2 is included in segment 1/);
    const wrong = await cli(["verify-proof", proofFile, "--root", "00".repeat(32)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/NOT included/);

    const sign = await run(["sign", "1", "--key", "audit"], { env: keyEnv });
    expect(sign.code, sign.stderr).toBe(0);
    expect(sign.stdout).toMatch(/signed segment\s+1/);
    expect(sign.stdout + sign.stderr).not.toContain(SEED);
    const checkpoint = /checkpoint\s+([0-9a-f]{64})/.exec(sign.stdout)![1];

    const submit = await run(["witness", "submit", "--stream", "default"], { env: keyEnv });
    expect(submit.code, submit.stderr).toBe(0);
    const submission = parseSubmission(submit.stdout.trim());
    expect(submission).toMatchObject({
      streamId: "default",
      segmentId: 1n,
      seqStart: 1n,
      seqEnd: 3n,
    });
    expect(submission.checkpointHashHex).toBe(checkpoint);
    expect(submission.signerIdentity).toBe("audit");
  });

  it("verify passes on the intact log", async () => {
    const r = await run(["verify"], { env: keyEnv });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/default\s+3\s+1\s+3\s+1\s+1\s+ok/);
  });

  it("verify exits 1 naming the seqno after a payload byte is flipped in the .db", async () => {
    await flipPayloadBit(join(data, "secure-log.db"), new TextEncoder().encode(STDIN_PAYLOAD));
    const r = await run(["verify"], { env: keyEnv });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/verification FAILED in stream 'default' \(first broken seqno 1\)/);
    expect(r.stdout).toMatch(/FAILED/);
  });
});
