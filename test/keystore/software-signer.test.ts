import { describe, expect, it, vi } from "vitest";
import { bytesEqual } from "../../src/core/hex";
import { verifySignature } from "../../src/core/signatures/verify";
import type { SignatureAlgorithm } from "../../src/core/signer";
import { ALGORITHMS, ENV, readKeystoreConfig } from "../../src/keystore/config";
import { KeyDeriver } from "../../src/keystore/derive";
import { KeystoreError } from "../../src/keystore/errors";
import { INSECURE_WARNING, SoftwareSigner } from "../../src/keystore/software-signer";
import { nodeVerify } from "./node-keys";

const SEED_HEX = "a5".repeat(32);
const message = new TextEncoder().encode("checkpoint hash goes here");

const signerFor = (algorithm: SignatureAlgorithm, seed = SEED_HEX, warn = vi.fn()) =>
  SoftwareSigner.fromEnvironment({ [ENV.algorithm]: algorithm, [ENV.seed]: seed }, undefined, warn);

async function rejection(promise: Promise<unknown>): Promise<KeystoreError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(KeystoreError);
    return e as KeystoreError;
  }
  throw new Error("expected a KeystoreError");
}

describe("SoftwareSigner", () => {
  it.each(ALGORITHMS)("%s: signatures verify with verify.ts and with node:crypto", async (alg) => {
    const key = await signerFor(alg).getKey("checkpoint-signer");
    expect(key.algorithm()).toBe(alg);
    const signature = await key.sign(message);
    expect(await verifySignature(alg, key.publicKey(), message, signature)).toBe(true);
    expect(nodeVerify(alg, key.publicKey(), message, signature)).toBe(true);
    const tampered = message.slice();
    tampered[0]! ^= 1;
    expect(await verifySignature(alg, key.publicKey(), tampered, signature)).toBe(false);
    expect(nodeVerify(alg, key.publicKey(), tampered, signature)).toBe(false);
  });

  it.each(ALGORITHMS)("%s: two signers with one seed agree; another seed does not", async (alg) => {
    const a = (await signerFor(alg).getKey("witness")).publicKey();
    const b = (await signerFor(alg).getKey("witness")).publicKey();
    const c = (await signerFor(alg, "5a".repeat(32)).getKey("witness")).publicKey();
    expect(b).toEqual(a);
    expect(bytesEqual(c, a)).toBe(false);
  });

  it("derives each label once per signer", async () => {
    const deriver = new KeyDeriver(readKeystoreConfig({ [ENV.seed]: SEED_HEX }));
    const spy = vi.spyOn(deriver, "keyPair");
    const signer = new SoftwareSigner(deriver, vi.fn());
    await Promise.all([signer.getKey("a"), signer.getKey("a")]);
    await signer.getKey("a");
    await signer.getKey("b");
    expect(spy.mock.calls.map(([label]) => label)).toEqual(["a", "b"]);
  });

  it("answers an empty or ill-formed label with key-not-found", async () => {
    const signer = signerFor("ed25519");
    expect((await rejection(signer.getKey(""))).payload).toEqual({
      tag: "key-not-found",
      val: "empty key label: labels are non-empty",
    });
    expect((await rejection(signer.getKey("a\ud800b"))).code).toBe("key-not-found");
  });

  it("publishes the public key only: no own properties, a fresh copy each time", async () => {
    const key = await signerFor("ecdsa-p256").getKey("k");
    expect(Object.getOwnPropertyNames(key)).toEqual([]);
    expect(JSON.stringify(key)).toBe("{}");
    const pub = key.publicKey();
    pub.fill(0);
    expect(key.publicKey()[0]).toBe(0x04);
  });

  it("with a fixed RSA key, serves that key under every label", async () => {
    const der = (
      await new KeyDeriver(
        readKeystoreConfig({ [ENV.algorithm]: "rsa-pss-sha256", [ENV.seed]: SEED_HEX }),
      ).keyPair("source")
    ).secret;
    const signer = new SoftwareSigner(
      new KeyDeriver({
        algorithm: "rsa-pss-sha256",
        secret: { kind: "rsa-private-key", der },
        insecure: false,
      }),
      vi.fn(),
    );
    const a = await signer.getKey("a");
    const b = await signer.getKey("b");
    expect(b.publicKey()).toEqual(a.publicKey());
    expect(nodeVerify("rsa-pss-sha256", a.publicKey(), message, await b.sign(message))).toBe(true);
  });

  it("announces the insecure development keystore on every getKey and every sign", async () => {
    const warn = vi.fn();
    const signer = SoftwareSigner.fromEnvironment({ [ENV.insecureDev]: "1" }, undefined, warn);
    const key = await signer.getKey("dev");
    await signer.getKey("dev");
    await key.sign(message);
    await key.sign(message);
    expect(warn).toHaveBeenCalledTimes(4);
    expect(warn).toHaveBeenCalledWith(INSECURE_WARNING);
    expect(INSECURE_WARNING).toMatch(/^INSECURE development keystore: signatures are forgeable/);
  });

  it("says nothing with a real secret", async () => {
    const warn = vi.fn();
    const key = await signerFor("ed25519", SEED_HEX, warn).getKey("x");
    await key.sign(message);
    expect(warn).not.toHaveBeenCalled();
  });

  it("reports a signing failure as backend, without key material", async () => {
    const signer = new SoftwareSigner(
      new KeyDeriver({
        algorithm: "rsa-pss-sha256",
        secret: { kind: "rsa-private-key", der: Uint8Array.of(0x30, 0x00) },
        insecure: false,
      }),
      vi.fn(),
    );
    const e = await rejection(signer.getKey("x"));
    expect(e.code).toBe("backend");
    expect(e.payload.val).toMatch(
      /^deriving the rsa-pss-sha256 key: invalid input: rsa-pss-sha256 private key/,
    );
  });
});
