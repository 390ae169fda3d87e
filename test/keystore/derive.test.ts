import { hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bytesEqual, toHex } from "../../src/core/hex";
import { sha256 } from "../../src/core/hash";
import { bitLength, parseRsaPrivateKey } from "../../src/core/signatures/rsa-pss";
import { publicKeyFor } from "../../src/core/signatures/sign";
import type { SignatureAlgorithm } from "../../src/core/signer";
import { ALGORITHMS } from "../../src/keystore/config";
import { deriveSecret, keyInfo, P256_ORDER } from "../../src/keystore/derive";
import { nodePrivateKey, nodePublicKeyBytes } from "./node-keys";

const SEED = new Uint8Array(32).map((_, i) => i);
const OTHER_SEED = new Uint8Array(32).map((_, i) => 255 - i);
const LABEL = "checkpoint-signer";

const nodeHkdf = (seed: Uint8Array, info: string, length: number) =>
  new Uint8Array(hkdfSync("sha256", seed, new Uint8Array(0), info, length));

const publicKey = async (alg: SignatureAlgorithm, seed: Uint8Array, label: string) =>
  publicKeyFor(alg, await deriveSecret(seed, alg, label));

describe("deriveSecret", () => {
  it("names the algorithm and the label in the HKDF info", () => {
    expect(keyInfo("ecdsa-p256", "a:b")).toBe("secure-log:keystore:v1:ecdsa-p256:a:b");
  });

  it("derives ed25519 seeds and P-256 scalars as the design note says (checked with node:crypto)", async () => {
    const info = keyInfo("ed25519", LABEL);
    expect(await deriveSecret(SEED, "ed25519", LABEL)).toEqual(nodeHkdf(SEED, info, 32));

    const okm = nodeHkdf(SEED, keyInfo("ecdsa-p256", LABEL), 48);
    const scalar = (BigInt("0x" + toHex(okm)) % (P256_ORDER - 1n)) + 1n;
    const derived = await deriveSecret(SEED, "ecdsa-p256", LABEL);
    expect(toHex(derived)).toBe(scalar.toString(16).padStart(64, "0"));
  });

  it("uses the P-256 group order", async () => {
    const { p256 } = await import("@noble/curves/nist.js");
    expect(P256_ORDER).toBe(p256.Point.CURVE().n);
  });

  it.each(ALGORITHMS)(
    "%s: OpenSSL computes the same public key from the derived secret",
    async (alg) => {
      const secret = await deriveSecret(SEED, alg, LABEL);
      const ours = await publicKeyFor(alg, secret);
      expect(nodePublicKeyBytes(alg, nodePrivateKey(alg, secret))).toEqual(ours);
    },
  );

  // Pinned outputs: the derivation is a format, so a change here breaks every deployment.
  it("keeps known answers for seed 00..1f and label checkpoint-signer", async () => {
    expect(toHex(await publicKey("ed25519", SEED, LABEL))).toBe(
      "ecfcd7ef7aec33401ea73676beb0d2e65e4ac3fec24f5518c7d3bbba06129337",
    );
    expect(toHex(await publicKey("ecdsa-p256", SEED, LABEL))).toBe(
      "044bab969e17ab271a20c5c2a092256e827525e7eac41518885ae5a99ebd6815" +
        "01ae5e64c35507264db24a3d3932c4851e22edf2ff0ca1c00dc2676e714176271a",
    );
    expect(toHex(await sha256(await publicKey("rsa-pss-sha256", SEED, LABEL)))).toBe(
      "226d16c3a07bbbc8b783351fdfd18b5fab547fa869102031913915c75838ed9c",
    );
  });

  it.each(ALGORITHMS)("%s: same seed and label, same key; any change, another key", async (alg) => {
    const a = await publicKey(alg, SEED, LABEL);
    expect(await publicKey(alg, SEED, LABEL)).toEqual(a);
    for (const other of [
      await publicKey(alg, SEED, LABEL + "2"),
      await publicKey(alg, SEED, "Checkpoint-signer"),
      await publicKey(alg, OTHER_SEED, LABEL),
    ]) {
      expect(bytesEqual(other, a)).toBe(false);
    }
  });

  it("gives the algorithms unrelated keys for one label", async () => {
    const ed = await deriveSecret(SEED, "ed25519", LABEL);
    const p = await deriveSecret(SEED, "ecdsa-p256", LABEL);
    expect(bytesEqual(ed, p)).toBe(false);
  });

  it("derives 2048-bit RSA keys that meet FIPS 186-5 A.1.1's checks", async () => {
    const key = parseRsaPrivateKey(await deriveSecret(OTHER_SEED, "rsa-pss-sha256", "x"));
    expect(bitLength(key.n)).toBe(2048);
    expect(key.e).toBe(65537n);
    expect(bitLength(key.p)).toBe(1024);
    expect(bitLength(key.q)).toBe(1024);
    const distance = key.p > key.q ? key.p - key.q : key.q - key.p;
    expect(distance > 1n << 924n).toBe(true);
    expect(key.d > 1n << 1024n).toBe(true);
  });
});
