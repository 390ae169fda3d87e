// keys:keystore/signer over derived keys. Key pairs are derived on first use and
// cached per label for the life of the instance (an RSA derivation takes long).
// The private key stays in a private field: only the public key and signatures
// leave a SoftwareKey.

import { signWith } from "../core/signatures/sign";
import type { SignatureAlgorithm, Signer, SigningKey } from "../core/signer";
import { ENV, readKeystoreConfig, type Environment, type ReadFile } from "./config";
import { KeyDeriver, type KeyPair } from "./derive";
import { keystoreErrors, toKeystoreError } from "./errors";

export const INSECURE_WARNING =
  `INSECURE development keystore: signatures are forgeable (${ENV.insecureDev}=1 derives every key ` +
  `from a public seed; set ${ENV.seed} or ${ENV.keyFile} for real keys)`;

/** Where the insecure-mode announcement goes: stderr in a component. */
export type Warn = (message: string) => void;

/**
 * Lone surrogates would become U+FFFD in UTF-8, so two labels could share a key.
 * (A loop, not /\p{Cs}/u: StarlingMonkey has no Unicode property escapes.)
 */
function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    }
  }
  return false;
}

export class SoftwareKey implements SigningKey {
  readonly #pair: KeyPair;
  readonly #announce: () => void;

  constructor(pair: KeyPair, announce: () => void) {
    this.#pair = pair;
    this.#announce = announce;
  }

  algorithm(): SignatureAlgorithm {
    return this.#pair.algorithm;
  }

  publicKey(): Uint8Array {
    return this.#pair.publicKey.slice();
  }

  /** Throws KeystoreError (backend) if signing fails. */
  async sign(message: Uint8Array): Promise<Uint8Array> {
    this.#announce();
    try {
      return await signWith(this.#pair.algorithm, this.#pair.secret, message);
    } catch (e) {
      throw toKeystoreError(e, `${this.#pair.algorithm} signing`);
    }
  }
}

export class SoftwareSigner implements Signer {
  private readonly pairs = new Map<string, Promise<KeyPair>>();
  private readonly announce: () => void;

  constructor(
    private readonly deriver: KeyDeriver,
    warn: Warn,
  ) {
    this.announce = deriver.insecure ? () => warn(INSECURE_WARNING) : () => {};
  }

  /** A signer configured from environment variables (see config.ts); throws KeystoreError. */
  static fromEnvironment(
    env: Environment,
    readFile: ReadFile | undefined,
    warn: Warn,
  ): SoftwareSigner {
    return new SoftwareSigner(new KeyDeriver(readKeystoreConfig(env, readFile)), warn);
  }

  /** Throws KeystoreError: key-not-found for an empty or ill-formed label, backend on failure. */
  async getKey(label: string): Promise<SoftwareKey> {
    if (label === "") throw keystoreErrors.keyNotFound("empty key label: labels are non-empty");
    if (hasLoneSurrogate(label)) {
      throw keystoreErrors.keyNotFound("key label is not well-formed Unicode (lone surrogate)");
    }
    this.announce();
    return new SoftwareKey(await this.keyPair(label), this.announce);
  }

  private keyPair(label: string): Promise<KeyPair> {
    let pair = this.pairs.get(label);
    if (pair === undefined) {
      pair = this.deriver.keyPair(label).catch((e: unknown) => {
        this.pairs.delete(label);
        throw toKeystoreError(e, `deriving the ${this.deriver.algorithm} key`);
      });
      this.pairs.set(label, pair);
    }
    return pair;
  }
}
