// The composed file stack end to end, through the component boundary: the
// harness scenario, then bad input, each of which must come back as a WIT
// `err` (a trap would poison the instance) and leave every entry in place.

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareStack } from "../../scripts/start";
import { allChecks, type VerifyReport } from "../../verify/checks";
import { insertLine } from "../../verify/data-file";
import { errorText, failsWith } from "../../verify/expect";
import { NodeStack } from "../../verify/node-stack";
import { runScenario } from "../../verify/scenario";
import type { InstanceOptions, Stack, StackApi } from "../../verify/stack-api";
import { DATA_FILE, WasmStack } from "../../verify/wasm-stack";
import { keystoreEnv } from "../../verify/workload";

const failures = (r: VerifyReport) =>
  allChecks(r)
    .filter((c) => !c.ok)
    .map((c) => `${c.section} / ${c.name}: ${c.detail}`);

let workRoot: string;
let count = 0;
async function freshDir(): Promise<string> {
  const dir = join(workRoot, `d${++count}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  workRoot = await mkdtemp(join(tmpdir(), "secure-log-e2e-"));
});
afterAll(async () => {
  await rm(workRoot, { recursive: true, force: true });
});

it("the node baseline passes the scenario", async () => {
  const report = await runScenario(new NodeStack(), { workDir: await freshDir() });
  expect(failures(report)).toEqual([]);
  expect(allChecks(report).length).toBeGreaterThan(30);
});

describe("dist/secure-log-file.wasm", () => {
  let stack: WasmStack;

  beforeAll(async () => {
    stack = await WasmStack.load(await prepareStack("secure-log-file"));
  }, 900_000);

  it("passes the scenario", async () => {
    const report = await runScenario(stack, { workDir: await freshDir() });
    expect(failures(report)).toEqual([]);
    expect(allChecks(report).length).toBeGreaterThan(30);
  }, 600_000);

  describe("bad input is a WIT err and loses nothing", () => {
    /** An instance and what its log must hold. */
    interface Seeded {
      api: StackApi;
      head: bigint;
      segments: number;
    }
    let main: Seeded;
    let instance: InstanceOptions;

    /** Three entries in "s" sealed in a segment, then one more not sealed yet. */
    async function seeded(s: Stack, options: InstanceOptions): Promise<Seeded> {
      const api = await s.instantiate(options);
      await api.open(s.storeConfig);
      for (let i = 0; i < 3; i++) await api.append("s", "e", "info", "test", new Uint8Array([i]));
      await api.closeSegment("s");
      const { seqno } = await api.append("s", "e", "info", "test", new Uint8Array(0));
      return { api, head: seqno, segments: 1 };
    }

    /** The instance still answers (a trap would have poisoned it) and the log is whole. */
    async function intact({ api, head, segments }: Seeded): Promise<void> {
      expect(await api.head("s")).toBe(head);
      await api.verifyChain("s", 1n, head);
      expect((await api.listSegments("s")).length).toBe(segments);
      for (let seqno = 1n; seqno <= head; seqno++)
        expect((await api.read(seqno)).seqno).toBe(seqno);
    }

    beforeAll(async () => {
      instance = { dataDir: await freshDir(), env: keystoreEnv("ed25519") };
      main = await seeded(stack, instance);
    }, 120_000);

    it("empty config → invalid", async () => {
      const api = await stack.instantiate(instance);
      const e = await failsWith("invalid", () => api.open(""));
      expect(errorText(e)).toMatch(/config/);
      await api.open(stack.storeConfig);
      await intact({ ...main, api });
    });

    it("verify-chain of an unknown stream → stream-not-found", async () => {
      const e = await failsWith("stream-not-found", () => main.api.verifyChain("no.such", 1n, 10n));
      expect(e.val).toBe("no.such");
      await intact(main);
    });

    it("close-segment of a closed or an unknown stream → empty-segment", async () => {
      await main.api.closeSegment("s");
      main.segments++;
      expect((await failsWith("empty-segment", () => main.api.closeSegment("s"))).val).toBe("s");
      const e = await failsWith("empty-segment", () => main.api.closeSegment("never.used"));
      expect(e.val).toBe("never.used");
      await intact(main);
    });

    it("an inclusion proof against a root of the wrong length → invalid", async () => {
      const proof = await main.api.buildInclusionProof(1n);
      const wrong = new Uint8Array(31);
      const e = await failsWith("invalid", () => main.api.verifyInclusionProof(proof, wrong));
      expect(errorText(e)).toMatch(/32 bytes, got 31/);
      await main.api.verifyInclusionProof(proof, proof.merkleRoot);
      await intact(main);
    });

    it("sign-segment without a keystore secret → invalid naming the problem", async () => {
      const env = { SECURE_LOG_KEYSTORE_ALG: "ed25519" };
      const keyless = await seeded(stack, { dataDir: await freshDir(), env });
      const e = await failsWith("invalid", () => keyless.api.signSegment("ops", 1n));
      expect(errorText(e)).toMatch(/SECURE_LOG_KEYSTORE_SEED|SECURE_LOG_KEYSTORE_KEY_FILE/);
      expect((await keyless.api.readSegment(1n)).signature).toBeUndefined();
      await intact(keyless);
    });

    it("a malformed line in the data file → open fails with storage naming the line", async () => {
      const options = { dataDir: await freshDir(), env: keystoreEnv("ed25519") };
      const before = await seeded(stack, options);
      const path = join(options.dataDir, DATA_FILE);
      const original = await insertLine(path, 3, '{"op":"entry", this is not JSON');
      const broken = await stack.instantiate(options);
      const e = await failsWith("storage", () => broken.open(stack.storeConfig));
      expect(errorText(e)).toMatch(/line 3\b/);
      // The failed open rewrote nothing: with the line taken out, every entry is back.
      expect((await readFile(path, "utf8")).split("\n")[2]).toContain("this is not JSON");
      await writeFile(path, original);
      const healed = await stack.instantiate(options);
      await healed.open(stack.storeConfig);
      await intact({ ...before, api: healed });
    });
  });
});
