// Pure-JS signing for the software keystore. `secret` is the 32-byte ed25519 seed, the
// 32-byte P-256 scalar, or the RSA PKCS#1 private key DER. Curves load on first use
// (see verify.ts for why).

import { errors } from "../errors";
import { sha256 } from "../hash";
import { rsaPssSign, rsaPublicKeyFromPrivate } from "./rsa-pss";

function unknown(algorithm: string): Error {
  return errors.invalid(
    `unknown signature algorithm ${JSON.stringify(algorithm)} (expected ed25519, ecdsa-p256 or rsa-pss-sha256)`,
  );
}

function need32(algorithm: string, what: string, secret: Uint8Array): void {
  if (secret.length !== 32) {
    throw errors.invalid(`${algorithm} ${what} must be 32 bytes, got ${secret.length}`);
  }
}

async function p256WithScalar(secret: Uint8Array) {
  const { p256 } = await import("@noble/curves/nist.js");
  need32("ecdsa-p256", "secret scalar", secret);
  if (!p256.utils.isValidSecretKey(secret)) {
    throw errors.invalid("ecdsa-p256 secret scalar is not in [1, n - 1]");
  }
  return p256;
}

/**
 * The public key for `secret` as keys:keystore publishes it: 32 raw bytes (ed25519),
 * an uncompressed SEC1 point (ecdsa-p256, as the reference's `to_sec1_bytes`), or
 * PKCS#1 DER (rsa-pss-sha256).
 */
export async function publicKeyFor(algorithm: string, secret: Uint8Array): Promise<Uint8Array> {
  switch (algorithm) {
    case "ed25519": {
      const { ed25519 } = await import("@noble/curves/ed25519.js");
      need32(algorithm, "seed", secret);
      return ed25519.getPublicKey(secret);
    }
    case "ecdsa-p256":
      return (await p256WithScalar(secret)).getPublicKey(secret, false);
    case "rsa-pss-sha256":
      return rsaPublicKeyFromPrivate(secret);
    default:
      throw unknown(algorithm);
  }
}

/**
 * Signs `message`: Ed25519 over the message itself, ECDSA-P256 over SHA-256(message)
 * as 64-byte r||s (deterministic, RFC 6979, low-S), RSA-PSS-SHA256 with a random salt.
 */
export async function signWith(
  algorithm: string,
  secret: Uint8Array,
  message: Uint8Array,
): Promise<Uint8Array> {
  switch (algorithm) {
    case "ed25519": {
      const { ed25519 } = await import("@noble/curves/ed25519.js");
      need32(algorithm, "seed", secret);
      return ed25519.sign(message, secret);
    }
    case "ecdsa-p256": {
      const p256 = await p256WithScalar(secret);
      // Same bytes as noble's prehash default, but SHA-256 runs natively via WebCrypto.
      const digest = await sha256(message);
      return p256.sign(digest, secret, { prehash: false, format: "compact" });
    }
    case "rsa-pss-sha256":
      return rsaPssSign(secret, message);
    default:
      throw unknown(algorithm);
  }
}
