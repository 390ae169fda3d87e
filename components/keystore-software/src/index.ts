// The software keystore component (world secure-log:components/keystore-software):
// keys:keystore/signer over keys derived from a secret the operator supplies
// (src/keystore/, docs/design/keystore-software.md). The environment and the key
// file are read on the first getKey, never at load: componentize-js runs top-level
// code at build time, when no import may be called.

import { getEnvironment } from "wasi:cli/environment@0.2.12";
import type { SigningKey } from "../../../src/core/signer";
import { environmentRecord } from "../../../src/keystore/config";
import { toKeystoreError } from "../../../src/keystore/errors";
import { SoftwareSigner } from "../../../src/keystore/software-signer";
import { preopenedFileSystem } from "../../../src/wasi/preopened";

let configured: SoftwareSigner | undefined;

function softwareSigner(): SoftwareSigner {
  configured ??= SoftwareSigner.fromEnvironment(
    environmentRecord(getEnvironment()),
    (path) => preopenedFileSystem().readFile(path),
    (message) => console.error(message),
  );
  return configured;
}

/**
 * The one boundary: whatever `work` throws leaves as a KeystoreError, whose
 * `payload` componentize-js returns as the WIT `err`. Anything else thrown out of
 * an export would trap and take the instance down.
 */
async function witResult<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toKeystoreError(e, doing);
  }
}

/** The `key` resource: a handle; the private key never leaves this component. */
export class Key {
  readonly #key: SigningKey;

  constructor(key: SigningKey) {
    this.#key = key;
  }

  algorithm(): string {
    return this.#key.algorithm();
  }

  publicKey(): Uint8Array {
    return this.#key.publicKey();
  }

  sign(message: Uint8Array): Promise<Uint8Array> {
    return witResult("signing", async () => this.#key.sign(message));
  }
}

export const signer = {
  Key,
  getKey: (label: string): Promise<Key> =>
    witResult("get-key", async () => new Key(await softwareSigner().getKey(label))),
};
