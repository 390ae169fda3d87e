// witness verify: a saved submission is "current", then "ancestor" once a later
// segment is signed; an upper-case copy still matches; a changed checkpoint
// digit exits 1 naming the segment and seqno.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareStack } from "../../scripts/start";
import { cli, SEED, tempDir } from "./run";

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
const env = { SECURE_LOG_KEYSTORE_SEED: SEED };
const run = (args: string[]) => cli(["--data", data, ...args], { env });

async function sealAndSign(): Promise<string> {
  const seal = await run(["--json", "seal", "--stream", "default"]);
  expect(seal.code, seal.stderr).toBe(0);
  const { segmentId } = JSON.parse(seal.stdout) as { segmentId: number };
  const sign = await run(["sign", String(segmentId), "--key", "audit"]);
  expect(sign.code, sign.stderr).toBe(0);
  const submit = await run(["witness", "submit", "--stream", "default"]);
  expect(submit.code, submit.stderr).toBe(0);
  return submit.stdout.trim();
}

beforeAll(async () => {
  await prepareStack("secure-log-sqlite");
  ({ dir, cleanup } = await tempDir());
  data = join(dir, "data");
}, 600_000);

afterAll(() => cleanup());

describe("secure-log witness verify", () => {
  it("reports current, ancestor and divergence", async () => {
    expect((await run(["init"])).code).toBe(0);
    expect((await run(["append", "first"])).code).toBe(0);
    expect((await run(["append", "second"])).code).toBe(0);
    const first = await sealAndSign();
    const firstFile = join(dir, "first.json");
    await writeFile(firstFile, first);

    const current = await run(["witness", "verify", firstFile]);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toMatch(/^current: segment 1 \(seqno 1\)/);

    const upper = JSON.parse(first) as { checkpoint_hash_hex: string };
    const upperFile = join(dir, "upper.json");
    await writeFile(
      upperFile,
      first.replace(upper.checkpoint_hash_hex, upper.checkpoint_hash_hex.toUpperCase()),
    );
    const upperRun = await run(["witness", "verify", upperFile]);
    expect(upperRun.code, upperRun.stderr).toBe(0);

    expect((await run(["append", "third"])).code).toBe(0);
    const second = await sealAndSign();
    const secondFile = join(dir, "second.json");
    await writeFile(secondFile, second);
    const ancestor = await run(["witness", "verify", firstFile]);
    expect(ancestor.code, ancestor.stderr).toBe(0);
    expect(ancestor.stdout).toMatch(/^ancestor: segment 1 \(seqno 1\)/);
    const now = await run(["--json", "witness", "verify", secondFile]);
    expect(now.code, now.stderr).toBe(0);
    expect(JSON.parse(now.stdout)).toMatchObject({ status: "current", segmentId: "2" });

    const hex = upper.checkpoint_hash_hex;
    const bad = hex.slice(0, 10) + (hex[10] === "0" ? "1" : "0") + hex.slice(11);
    const badFile = join(dir, "bad.json");
    await writeFile(badFile, first.replace(hex, bad));
    const diverged = await run(["witness", "verify", badFile]);
    expect(diverged.code).toBe(1);
    expect(diverged.stderr).toMatch(/diverges: segment 1 \(seqno 1\) of 'default': checkpoint/);

    const missing = await run(["witness", "verify", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
  }, 120_000);
});
