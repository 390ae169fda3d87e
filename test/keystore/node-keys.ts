// node:crypto (OpenSSL) views of keystore keys, so tests check our derived keys and
// signatures against an implementation that shares no code with ours.

import { constants, createPrivateKey, createPublicKey, verify, type KeyObject } from "node:crypto";
import type { SignatureAlgorithm } from "../../src/core/signer";

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

/** The keys:keystore public key bytes as a node KeyObject. */
export function nodePublicKey(algorithm: SignatureAlgorithm, publicKey: Uint8Array): KeyObject {
  switch (algorithm) {
    case "ed25519":
      return createPublicKey({
        key: { kty: "OKP", crv: "Ed25519", x: b64url(publicKey) },
        format: "jwk",
      });
    case "ecdsa-p256":
      return createPublicKey({
        key: {
          kty: "EC",
          crv: "P-256",
          x: b64url(publicKey.subarray(1, 33)),
          y: b64url(publicKey.subarray(33, 65)),
        },
        format: "jwk",
      });
    case "rsa-pss-sha256":
      return createPublicKey({ key: Buffer.from(publicKey), format: "der", type: "pkcs1" });
  }
}

/**
 * The private key as OpenSSL reads it from the secret alone (PKCS#8 without the
 * public part for the curves), so OpenSSL computes the public key itself.
 */
export function nodePrivateKey(algorithm: SignatureAlgorithm, secret: Uint8Array): KeyObject {
  switch (algorithm) {
    case "ed25519":
      return createPrivateKey({
        key: Buffer.concat([hex("302e020100300506032b657004220420"), secret]),
        format: "der",
        type: "pkcs8",
      });
    case "ecdsa-p256":
      return createPrivateKey({
        key: Buffer.concat([
          hex("3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420"),
          secret,
        ]),
        format: "der",
        type: "pkcs8",
      });
    case "rsa-pss-sha256":
      return createPrivateKey({ key: Buffer.from(secret), format: "der", type: "pkcs1" });
  }
}

/** The public key OpenSSL computes from a private key, in keys:keystore form. */
export function nodePublicKeyBytes(algorithm: SignatureAlgorithm, key: KeyObject): Uint8Array {
  const pub = createPublicKey(key);
  switch (algorithm) {
    case "ed25519":
      return new Uint8Array(Buffer.from(pub.export({ format: "jwk" }).x!, "base64url"));
    case "ecdsa-p256": {
      const jwk = pub.export({ format: "jwk" });
      return Uint8Array.of(
        0x04,
        ...Buffer.from(jwk.x!, "base64url"),
        ...Buffer.from(jwk.y!, "base64url"),
      );
    }
    case "rsa-pss-sha256":
      return new Uint8Array(pub.export({ format: "der", type: "pkcs1" }));
  }
}

/** Verifies with OpenSSL under the keys:keystore conventions (ECDSA r||s, PSS salt 32). */
export function nodeVerify(
  algorithm: SignatureAlgorithm,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const key = nodePublicKey(algorithm, publicKey);
  switch (algorithm) {
    case "ed25519":
      return verify(null, message, key, signature);
    case "ecdsa-p256":
      return verify("sha256", message, { key, dsaEncoding: "ieee-p1363" }, signature);
    case "rsa-pss-sha256":
      return verify(
        "sha256",
        message,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        signature,
      );
  }
}
