// The keystore as the core sees it: `keys:keystore/signer` in jco's JS shape.
// `getKey` throws the WIT `error` variant (`{ tag, val }`) when it fails.

export type SignatureAlgorithm = "ed25519" | "ecdsa-p256" | "rsa-pss-sha256";

export type SignerError =
  | { tag: "key-not-found"; val: string }
  | { tag: "unsupported-algorithm"; val: string }
  | { tag: "access-denied"; val: string }
  | { tag: "backend"; val: string };

export interface SigningKey {
  algorithm(): string;
  publicKey(): Uint8Array;
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

export interface Signer {
  getKey(label: string): SigningKey | Promise<SigningKey>;
}
