// The keystore a bundle verification runs with: the bundle's public keys,
// looked up by signer identity. It can check signatures, never make them.

import type { Signer, SigningKey } from "../core/signer";
import type { BundleKey } from "./format";

export class PublicKeyring implements Signer {
  private readonly keys: Map<string, BundleKey>;

  constructor(keys: readonly BundleKey[]) {
    this.keys = new Map(keys.map((k) => [k.identity, k]));
  }

  find(identity: string): BundleKey | undefined {
    return this.keys.get(identity);
  }

  getKey(label: string): SigningKey {
    const k = this.keys.get(label);
    if (k === undefined) {
      throw { tag: "key-not-found", val: `the bundle holds no public key for '${label}'` };
    }
    return {
      algorithm: () => k.algorithm,
      publicKey: () => k.publicKey.slice(),
      sign() {
        throw { tag: "access-denied", val: "a bundle holds public keys only: it cannot sign" };
      },
    };
  }
}
