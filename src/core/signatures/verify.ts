// Signature verification for the keys:keystore algorithms, matching the reference's
// verifiers (ed25519-dalek, p256, rsa). The curves are imported on first use, never at
// module load: componentize-js runs top-level code at build time, where @noble/curves
// cannot initialise.

import { errors } from "../errors";
import { sha256 } from "../hash";
import { rsaPssVerify } from "./rsa-pss";

/**
 * True iff `signature` is valid for `message` under `publicKey`. A wrong or malformed
 * signature is `false`; an unknown algorithm or a malformed public key throws `invalid`.
 */
export async function verifySignature(
  algorithm: string,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  switch (algorithm) {
    case "ed25519":
      return verifyEd25519(publicKey, message, signature);
    case "ecdsa-p256":
      return verifyP256(publicKey, message, signature);
    case "rsa-pss-sha256":
      return rsaPssVerify(publicKey, message, signature);
    default:
      throw errors.invalid(
        `unknown signature algorithm ${JSON.stringify(algorithm)} (expected ed25519, ecdsa-p256 or rsa-pss-sha256)`,
      );
  }
}

/** Ed25519 over the message itself; RFC 8032 strict decoding (canonical A, R and S). */
async function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const { ed25519 } = await import("@noble/curves/ed25519.js");
  if (publicKey.length !== 32) {
    throw errors.invalid(`ed25519 public key must be 32 bytes, got ${publicKey.length}`);
  }
  if (!ed25519.utils.isValidPublicKey(publicKey, false)) {
    throw errors.invalid("ed25519 public key is not a valid curve point encoding");
  }
  if (signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/**
 * ECDSA-P256 over SHA-256(message), signature as 64-byte r||s. High-S is accepted, as
 * by the Rust p256 verifier. The hash goes through WebCrypto (native in StarlingMonkey).
 */
async function verifyP256(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const { p256 } = await import("@noble/curves/nist.js");
  if (publicKey.length !== 33 && publicKey.length !== 65) {
    throw errors.invalid(
      `ecdsa-p256 public key must be a 33- or 65-byte SEC1 point, got ${publicKey.length} bytes`,
    );
  }
  try {
    p256.Point.fromBytes(publicKey).assertValidity();
  } catch (e) {
    throw errors.invalid("ecdsa-p256 public key is not a valid SEC1 point on P-256", e);
  }
  if (signature.length !== 64) return false;
  const digest = await sha256(message);
  try {
    return p256.verify(signature, digest, publicKey, {
      prehash: false,
      lowS: false,
      format: "compact",
    });
  } catch {
    return false;
  }
}
