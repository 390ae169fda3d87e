// Failure paths: what the CLI says and which exit code it gives.

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEVERITIES } from "../../src/core/model";
import { prepareStack } from "../../scripts/start";
import { COMMANDS } from "../../cli/main";
import { cli, tempDir } from "./run";

let dir: string;
let cleanup: () => Promise<void>;
let data: string;

beforeAll(async () => {
  await prepareStack("secure-log-sqlite");
  ({ dir, cleanup } = await tempDir());
  data = join(dir, "data");
  const r = await cli(["--data", data, "init"]);
  expect(r.code, r.stderr).toBe(0);
}, 600_000);

afterAll(() => cleanup());

describe("secure-log errors", () => {
  it("an unknown stream exits 2 and says how to list streams", async () => {
    const r = await cli(["--data", data, "tail", "--stream", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("stream 'x' not found; list streams with `secure-log streams list`");
  });

  it("a bad severity exits 2 with the valid severities", async () => {
    const r = await cli(["--data", data, "append", "hello", "--severity", "loud"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `unknown severity 'loud'; valid severities: ${SEVERITIES.join(", ")}`,
    );
  });

  it("sign without a key secret exits 3 saying what to set", async () => {
    const r = await cli(["--data", data, "sign", "1"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/SECURE_LOG_KEYSTORE_SEED.*SECURE_LOG_KEYSTORE_KEY_FILE/);
  });

  it("a missing data directory exits 2 and points at init", async () => {
    const r = await cli(["--data", join(dir, "nowhere"), "head"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist; create it with `secure-log init/);
  });

  it("usage errors exit 2; --help on every command shows examples", async () => {
    expect((await cli(["frobnicate"])).code).toBe(2);
    expect((await cli(["--data", data, "read", "abc"])).code).toBe(2);
    for (const c of COMMANDS) {
      expect(c.examples.length, c.name).toBeGreaterThan(0);
    }
    const help = await cli(["append", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/examples:\n {2}secure-log append/);
  });
});
