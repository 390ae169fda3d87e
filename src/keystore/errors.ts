// The keys:keystore `error` variant as thrown by the software keystore. Messages
// name the setting and the fix; they never contain secret material (seed values,
// key-file contents or derived keys), because they cross the component boundary
// and end up in logs.

import { SecureLogError } from "../core/errors";
import type { SignerError } from "../core/signer";

export type SignerErrorCode = SignerError["tag"];

/**
 * Thrown by the software keystore. `payload` is the WIT `error` value: a
 * componentize-js export hands a thrown value's `payload` to the caller as `err`.
 */
export class KeystoreError extends Error {
  readonly payload: SignerError;

  constructor(payload: SignerError, options?: { cause?: unknown }) {
    super(`${payload.tag}: ${payload.val}`, options);
    this.name = "KeystoreError";
    this.payload = payload;
  }

  get code(): SignerErrorCode {
    return this.payload.tag;
  }
}

const make =
  (tag: SignerErrorCode) =>
  (message: string, cause?: unknown): KeystoreError =>
    new KeystoreError({ tag, val: message }, cause === undefined ? undefined : { cause });

export const keystoreErrors = {
  keyNotFound: make("key-not-found"),
  unsupportedAlgorithm: make("unsupported-algorithm"),
  accessDenied: make("access-denied"),
  backend: make("backend"),
};

/**
 * Any thrown value as a KeystoreError, for the component boundary (a thrown value
 * without a WIT payload would trap the instance). Ours pass through; the core's
 * own errors keep their text, which never holds key bytes; anything else (a
 * library error, whose text we do not control) is reported by name only.
 */
export function toKeystoreError(e: unknown, doing: string): KeystoreError {
  if (e instanceof KeystoreError) return e;
  if (e instanceof SecureLogError) return keystoreErrors.backend(`${doing}: ${e.message}`, e);
  const name = e instanceof Error ? e.name : typeof e;
  return keystoreErrors.backend(`${doing} failed unexpectedly (${name})`, e);
}
