// A full session through the CLI on the SQLite stack: init, appends from
// stdin, an argument and a file, seal, prove, offline proof check, sign,
// verify, export and offline bundle verification; then one payload byte
// flipped in the database → verify exits 1 and export refuses.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareStack } from "../../scripts/start";
import { parseSubmission } from "../../src/core/witness";
import { flipPayloadBit } from "../../verify/data-sqlite";
import { cli, SEED, tempDir } from "./run";

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
let bundleFile: string;
const keyEnv = { SECURE_LOG_KEYSTORE_SEED: SEED };
const run = (args: string[], options: Parameters<typeof cli>[1] = {}) =>
  cli(["--data", data, ...args], options);

const STDIN_PAYLOAD = '{"user":"alice","action":"login","from":"10.0.0.7"}';
const FILE_PAYLOAD = "nightly report: 0 failed jobs, 17 succeeded\n";

beforeAll(async () => {
  await prepareStack("secure-log-sqlite");
  ({ dir, cleanup } = await tempDir());
  data = join(dir, "data");
  bundleFile = join(dir, "evidence.jsonl");
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
    // entries, segments, proofs, signed, checkpoints, the head record's segment, result
    expect(r.stdout).toMatch(/default\s+3\s+1\s+3\s+1\s+1\s+segment 1\s+ok/);
  });

  it("exports an evidence bundle an auditor verifies offline, pinned to the signer's key", async () => {
    const noSecret = await run(["export", "-o", bundleFile]);
    expect(noSecret.code).toBe(3);
    expect(noSecret.stderr).toMatch(/public keys in the bundle, from the keystore: no key secret/);

    const exp = await run(["export", "-o", bundleFile], { env: keyEnv });
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.stdout).toMatch(
      /exported 3 entries, 1 segments \(1 signed\), 1 public key\(s\) and 1 head record\(s\) of 1 stream\(s\)/,
    );
    const key = await run(["--json", "public-key", "--key", "audit"], { env: keyEnv });
    expect(key.code, key.stderr).toBe(0);
    const { fingerprint } = JSON.parse(key.stdout) as { fingerprint: string };
    expect(fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);

    // No secret, no data directory: only the bundle and the pinned fingerprint.
    const offline = ["--data", join(dir, "nowhere"), "verify", "--bundle", bundleFile];
    const ok = await cli([...offline, "--trust-key", fingerprint]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/audit\s+ed25519\s+sha256:[0-9a-f]{64}\s+yes/);
    expect(ok.stdout).toMatch(/default\s+3\s+1\s+3\s+1\s+1\s+segment 1\s+ok/);
    const stranger = await cli([...offline, "--trust-key", `sha256:${"0".repeat(64)}`]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/first broken segment 1\): .*not among the trusted keys/);

    const lines = (await readFile(bundleFile, "utf8")).split("\n");
    const tampered = lines.map((l) =>
      l.includes('"seqno":"2"')
        ? l.replace(/"payload":"(..)/, (_m, b: string) => `"payload":"${b === "00" ? "01" : "00"}`)
        : l,
    );
    await writeFile(join(dir, "tampered.jsonl"), tampered.join("\n"));
    const bad = await cli(["verify", "--bundle", join(dir, "tampered.jsonl")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/first broken seqno 2\): hash chain: chain broken at seqno 2/);

    await writeFile(join(dir, "cut.jsonl"), lines.slice(0, 4).join("\n"));
    const cut = await cli(["verify", "--bundle", join(dir, "cut.jsonl")]);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/line 4: the bundle has no end line: it was cut off/);
  });

  it("verify exits 1 naming the seqno after a payload byte is flipped in the .db", async () => {
    await flipPayloadBit(join(data, "secure-log.db"), new TextEncoder().encode(STDIN_PAYLOAD));
    const r = await run(["verify"], { env: keyEnv });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/verification FAILED in stream 'default' \(first broken seqno 1\)/);
    expect(r.stdout).toMatch(/FAILED/);
  });

  it("after the tamper, export refuses and the earlier bundle still verifies", async () => {
    const r = await run(["export", "-o", join(dir, "late.jsonl")], { env: keyEnv });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fails verification at seqno 1; export bundles intact history only/);
    const earlier = await cli(["verify", "--bundle", bundleFile]);
    expect(earlier.code, earlier.stderr).toBe(0);
  });
});
