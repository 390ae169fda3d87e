/** @module Interface keys:keystore/signer **/
/**
 * Resolves a key by its opaque label.
 */
export function getKey(label: string): Key;
export type Error = ErrorKeyNotFound | ErrorUnsupportedAlgorithm | ErrorAccessDenied | ErrorBackend;
/**
 * No key answers to the label.
 */
export interface ErrorKeyNotFound {
  tag: 'key-not-found',
  val: string,
}
/**
 * The provider does not implement the key's algorithm.
 */
export interface ErrorUnsupportedAlgorithm {
  tag: 'unsupported-algorithm',
  val: string,
}
/**
 * Policy or missing secret material forbids using the key.
 */
export interface ErrorAccessDenied {
  tag: 'access-denied',
  val: string,
}
/**
 * Any other provider failure.
 */
export interface ErrorBackend {
  tag: 'backend',
  val: string,
}

export class Key {
  /**
   * This type does not have a public constructor.
   */
  private constructor();
  /**
  * "ed25519", "ecdsa-p256" or "rsa-pss-sha256".
  */
  algorithm(): string;
  /**
  * Raw public key: 32 bytes (ed25519), SEC1 point (ecdsa-p256),
  * PKCS#1 DER RSAPublicKey (rsa-pss-sha256).
  */
  publicKey(): Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}
