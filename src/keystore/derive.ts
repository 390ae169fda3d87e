// Per-label key derivation from the operator's secret seed. A key depends on the
// seed, the algorithm and the label, and on nothing public alone (the reference
// derives keys from the label, so anyone can forge its signatures). These rules
// are a stable format, written down in docs/design/keystore-software.md:
//
//   okm = HKDF-SHA256(IKM = seed, salt absent, info = "secure-log:keystore:v1:" + alg + ":" + label)
//   ed25519         seed   = okm (32 bytes)
//   ecdsa-p256      scalar = (okm (48 bytes) mod (n - 1)) + 1        (FIPS 186-5 A.2.1)
//   rsa-pss-sha256  key    = deriveRsaPrivateKey(HMAC_DRBG(entropy = okm (32 bytes)))

import { hkdfSha256 } from "../core/hkdf";
import { bigIntToBytes, bytesToBigInt } from "../core/signatures/rsa-pss";
import { publicKeyFor } from "../core/signatures/sign";
import type { SignatureAlgorithm } from "../core/signer";
import type { KeystoreConfig } from "./config";
import { HmacDrbg } from "./hmac-drbg";
import { deriveRsaPrivateKey } from "./rsa-derive";

export const KEY_INFO_PREFIX = "secure-log:keystore:v1:";

/** The order of the P-256 base point. */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** HKDF info for a key: the algorithm has no ':' and the label comes last, so it is unambiguous. */
export function keyInfo(algorithm: SignatureAlgorithm, label: string): string {
  return `${KEY_INFO_PREFIX}${algorithm}:${label}`;
}

/**
 * The secret for `label` in the form src/core/signatures/sign.ts takes: a 32-byte
 * ed25519 seed, a 32-byte P-256 scalar, or an RSA PKCS#1 private key DER.
 */
export async function deriveSecret(
  seed: Uint8Array,
  algorithm: SignatureAlgorithm,
  label: string,
): Promise<Uint8Array> {
  const info = keyInfo(algorithm, label);
  switch (algorithm) {
    case "ed25519":
      return hkdfSha256(seed, info, 32);
    case "ecdsa-p256": {
      // 64 extra bits make the reduction's bias negligible; +1 keeps it non-zero.
      const okm = await hkdfSha256(seed, info, 48);
      return bigIntToBytes((bytesToBigInt(okm) % (P256_ORDER - 1n)) + 1n, 32);
    }
    case "rsa-pss-sha256":
      return deriveRsaPrivateKey(await HmacDrbg.instantiate(await hkdfSha256(seed, info, 32)));
  }
}

export interface KeyPair {
  algorithm: SignatureAlgorithm;
  secret: Uint8Array;
  publicKey: Uint8Array;
}

/** Produces the key pair behind a label, as the configuration says. */
export class KeyDeriver {
  constructor(private readonly config: KeystoreConfig) {}

  get algorithm(): SignatureAlgorithm {
    return this.config.algorithm;
  }

  get insecure(): boolean {
    return this.config.insecure;
  }

  async keyPair(label: string): Promise<KeyPair> {
    const { algorithm, secret: source } = this.config;
    const secret =
      source.kind === "seed" ? await deriveSecret(source.seed, algorithm, label) : source.der;
    return { algorithm, secret, publicKey: await publicKeyFor(algorithm, secret) };
  }
}
