// The software keystore component end to end in Node: built by scripts/build.ts
// (cached), transpiled by jco, run on preview2-shim with its own environment and
// preopens. Every failure must arrive as a keys:keystore `error`, never as a trap.

import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildComponents } from "../../scripts/build";
import { bytesEqual } from "../../src/core/hex";
import { verifySignature } from "../../src/core/signatures/verify";
import type { SignerError } from "../../src/core/signer";
import { ALGORITHMS, ENV, NO_SECRET_MESSAGE } from "../../src/keystore/config";
import { INSECURE_WARNING, SoftwareSigner } from "../../src/keystore/software-signer";
import { nodeVerify } from "../keystore/node-keys";
import { instantiateComponent, transpileComponent } from "./harness";

// The export as jco presents it: synchronous, `err` thrown with `payload`.
interface Key {
  algorithm(): string;
  publicKey(): Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}
interface Keystore {
  signer: { getKey(label: string): Key };
}

const SEED = "1f".repeat(32);
const message = new TextEncoder().encode("checkpoint hash");

let wasmPath = "";
const dirs: string[] = [];

beforeAll(async () => {
  const [built] = await buildComponents(["keystore-software"]);
  wasmPath = built!.path;
  await transpileComponent(wasmPath);
}, 600_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const start = (env: Record<string, string>, preopens?: Record<string, string>) =>
  instantiateComponent<Keystore>(wasmPath, { env, preopens });

function keyDir(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "secure-log-keys-"));
  dirs.push(dir);
  for (const [name, contents] of Object.entries(files)) writeFileSync(join(dir, name), contents);
  return dir;
}

/** The WIT error a call returns; fails the test if the call succeeds or traps. */
function witError(call: () => unknown): SignerError {
  try {
    call();
  } catch (e) {
    expect(e).not.toBeInstanceOf(WebAssembly.RuntimeError);
    expect(e).toHaveProperty("payload");
    return (e as { payload: SignerError }).payload;
  }
  throw new Error("the call succeeded");
}

const timed = <T>(what: string, work: () => T): T => {
  const started = performance.now();
  const result = work();
  console.log(`keystore-software: ${what} took ${(performance.now() - started).toFixed(0)} ms`);
  return result;
};

describe("keystore-software component", () => {
  it.each(ALGORITHMS)("%s: derives the same key as Node and signs verifiably", async (alg) => {
    const keystore = await start({ [ENV.algorithm]: alg, [ENV.seed]: SEED });
    const key = timed(`${alg} first getKey`, () => keystore.signer.getKey("checkpoint-signer"));
    timed(`${alg} second getKey (cached)`, () => keystore.signer.getKey("checkpoint-signer"));
    expect(key.algorithm()).toBe(alg);
    const expected = await SoftwareSigner.fromEnvironment(
      { [ENV.algorithm]: alg, [ENV.seed]: SEED },
      undefined,
      () => {},
    ).getKey("checkpoint-signer");
    expect(key.publicKey()).toEqual(expected.publicKey());

    const signature = timed(`${alg} first sign`, () => key.sign(message));
    timed(`${alg} second sign`, () => key.sign(message));
    expect(await verifySignature(alg, key.publicKey(), message, signature)).toBe(true);
    expect(nodeVerify(alg, key.publicKey(), message, signature)).toBe(true);
  });

  it("gives two instances with one seed the same keys, and other labels other keys", async () => {
    const env = { [ENV.algorithm]: "ecdsa-p256", [ENV.seed]: SEED };
    const a = (await start(env)).signer;
    const b = (await start(env)).signer;
    expect(b.getKey("witness").publicKey()).toEqual(a.getKey("witness").publicKey());
    expect(bytesEqual(a.getKey("witness").publicKey(), a.getKey("other").publicKey())).toBe(false);
  });

  it("reads a seed file and an RSA key file under a preopened directory", async () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const dir = keyDir({
      seed: `# keystore seed\n${SEED}\n`,
      "rsa.pem": rsa.privateKey.export({ format: "pem", type: "pkcs8" }) as string,
    });
    const fromFile = await start({ [ENV.keyFile]: "/keys/seed" }, { "/keys": dir });
    const fromEnv = await start({ [ENV.seed]: SEED });
    expect(fromFile.signer.getKey("x").publicKey()).toEqual(fromEnv.signer.getKey("x").publicKey());

    const withRsa = await start(
      { [ENV.algorithm]: "rsa-pss-sha256", [ENV.keyFile]: "/keys/rsa.pem" },
      { "/keys": dir },
    );
    const key = withRsa.signer.getKey("any label");
    const expected = new Uint8Array(rsa.publicKey.export({ format: "der", type: "pkcs1" }));
    expect(key.publicKey()).toEqual(expected);
    expect(nodeVerify("rsa-pss-sha256", expected, message, key.sign(message))).toBe(true);
  });

  it("returns each failure as the right WIT error and keeps working", async () => {
    const dir = keyDir({ short: "abcd\n" });
    const cases: [Record<string, string>, string, RegExp | string][] = [
      [{}, "access-denied", NO_SECRET_MESSAGE],
      [
        { [ENV.seed]: "zz" + SEED.slice(2) },
        "access-denied",
        /^SECURE_LOG_KEYSTORE_SEED must be exactly 64 hex/,
      ],
      [{ [ENV.seed]: SEED.slice(4) }, "access-denied", /it has 60 characters$/],
      [
        { [ENV.algorithm]: "dsa", [ENV.seed]: SEED },
        "unsupported-algorithm",
        /use one of ed25519, ecdsa-p256, rsa-pss-sha256/,
      ],
      [{ [ENV.keyFile]: "/keys/missing" }, "access-denied", /"\/keys\/missing"\) does not exist/],
      [{ [ENV.keyFile]: "/elsewhere/seed" }, "access-denied", /no preopened directory contains it/],
      [
        { [ENV.keyFile]: "/keys/short" },
        "access-denied",
        /the seed line must be exactly 64 hex characters \(32 bytes\); it has 4 characters$/,
      ],
      [
        { [ENV.insecureDev]: "true" },
        "access-denied",
        /SECURE_LOG_KEYSTORE_INSECURE_DEV must be 1/,
      ],
    ];
    for (const [env, tag, val] of cases) {
      const keystore = await start(env, { "/keys": dir });
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = witError(() => keystore.signer.getKey("checkpoint-signer"));
        expect(error.tag).toBe(tag);
        if (typeof val === "string") expect(error.val).toBe(val);
        else expect(error.val).toMatch(val);
        expect(error.val).not.toContain(SEED.slice(8, 24));
      }
    }

    const keystore = await start({ [ENV.seed]: SEED });
    expect(witError(() => keystore.signer.getKey(""))).toEqual({
      tag: "key-not-found",
      val: "empty key label: labels are non-empty",
    });
    expect(keystore.signer.getKey("after-an-error").algorithm()).toBe("ed25519");
  });

  it("announces the insecure development keystore on stderr at every use", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const keystore = await start({ [ENV.insecureDev]: "1" });
      const key = keystore.signer.getKey("dev");
      key.sign(message);
      key.sign(message);
      const written = stderr.mock.calls.map(([chunk]) => Buffer.from(chunk).toString()).join("");
      expect(written.split(INSECURE_WARNING).length - 1).toBe(3);
    } finally {
      stderr.mockRestore();
    }
  });
});
