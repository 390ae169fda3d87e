// The software keystore's settings, read from environment variables (and the key
// file one of them names). Nothing here derives keys; it only decides which
// secret and which algorithm to use, or refuses with a message naming the
// variable to fix. Values of secret variables never appear in a message.

import type { SignatureAlgorithm } from "../core/signer";
import { parseHexExact } from "../core/hex";
import { keystoreErrors } from "./errors";
import { KeyFileError, parseKeyFile, type KeyFileContents } from "./key-file";

export const ENV = {
  algorithm: "SECURE_LOG_KEYSTORE_ALG",
  seed: "SECURE_LOG_KEYSTORE_SEED",
  keyFile: "SECURE_LOG_KEYSTORE_KEY_FILE",
  insecureDev: "SECURE_LOG_KEYSTORE_INSECURE_DEV",
} as const;

export const ALGORITHMS: readonly SignatureAlgorithm[] = [
  "ed25519",
  "ecdsa-p256",
  "rsa-pss-sha256",
];
export const DEFAULT_ALGORITHM: SignatureAlgorithm = "ed25519";

/**
 * The fixed, public seed of the insecure development mode. Anyone can derive
 * every key from it, so signatures made with it prove nothing.
 */
export const INSECURE_DEV_SEED = new TextEncoder().encode("INSECURE-secure-log-dev-seed-v1!");

export const NO_SECRET_MESSAGE = `no key secret: set ${ENV.seed} (64 hex characters) or ${ENV.keyFile}`;

export type KeySecret =
  /** Keys are derived per label from this 32-byte seed. */
  | { kind: "seed"; seed: Uint8Array }
  /** This one RSA key (PKCS#1 DER) answers to every label. */
  | { kind: "rsa-private-key"; der: Uint8Array };

export interface KeystoreConfig {
  algorithm: SignatureAlgorithm;
  secret: KeySecret;
  /** True when the secret is INSECURE_DEV_SEED: every use must say so. */
  insecure: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Reads a whole file; undefined when it does not exist. May throw on I/O errors. */
export type ReadFile = (path: string) => Uint8Array | undefined;

/** Turns wasi:cli/environment's list of pairs into a record (the last value of a name wins). */
export function environmentRecord(pairs: readonly (readonly [string, string])[]): Environment {
  return Object.fromEntries(pairs);
}

function parseAlgorithm(value: string | undefined): SignatureAlgorithm {
  if (value === undefined || value === "") return DEFAULT_ALGORITHM;
  const found = ALGORITHMS.find((a) => a === value);
  if (found) return found;
  // Echo short names only: a long or hex value may be a secret pasted into the wrong variable.
  const shown =
    value.length <= 24 && !/^[0-9a-fA-F]{16,}$/.test(value)
      ? `=${JSON.stringify(value)}`
      : ` (a ${value.length}-character value, not shown)`;
  throw keystoreErrors.unsupportedAlgorithm(
    `${ENV.algorithm}${shown} is not supported; use one of ${ALGORITHMS.join(", ")} (default ${DEFAULT_ALGORITHM})`,
  );
}

function parseInsecureDev(value: string | undefined): boolean {
  if (value === undefined || value === "" || value === "0") return false;
  if (value === "1") return true;
  throw keystoreErrors.accessDenied(`${ENV.insecureDev} must be 1 (on) or 0 or unset (off)`);
}

function parseSeed(value: string): Uint8Array {
  const seed = parseHexExact(value, 32);
  if (typeof seed !== "string") return seed;
  const notHex = /^[0-9a-fA-F]*$/.test(value)
    ? ""
    : " and contains characters that are not hex digits";
  throw keystoreErrors.accessDenied(
    `${ENV.seed} must be exactly 64 hex characters (32 bytes); it has ${value.length} characters${notHex}`,
  );
}

function readKeyFile(path: string, readFile: ReadFile | undefined): KeyFileContents {
  const where = `${ENV.keyFile} (${JSON.stringify(path)})`;
  if (path === "") throw keystoreErrors.accessDenied(`${ENV.keyFile} is empty; set it to a path`);
  if (readFile === undefined) {
    throw keystoreErrors.accessDenied(`${where}: this keystore has no file system to read it from`);
  }
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFile(path);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw keystoreErrors.accessDenied(`${where} cannot be read: ${why}`, e);
  }
  if (bytes === undefined) {
    throw keystoreErrors.accessDenied(
      `${where} does not exist (the path must lie under a directory preopened for this component)`,
    );
  }
  try {
    return parseKeyFile(bytes);
  } catch (e) {
    if (!(e instanceof KeyFileError)) throw e;
    throw keystoreErrors.accessDenied(`${where}: ${e.message}`, e);
  }
}

/**
 * The keystore configuration from `env`, reading the key file through `readFile`
 * when SECURE_LOG_KEYSTORE_KEY_FILE is set. Throws KeystoreError: access-denied for
 * a missing, conflicting or malformed secret, unsupported-algorithm for an unknown
 * SECURE_LOG_KEYSTORE_ALG.
 */
export function readKeystoreConfig(env: Environment, readFile?: ReadFile): KeystoreConfig {
  const algorithm = parseAlgorithm(env[ENV.algorithm]);
  const insecureDev = parseInsecureDev(env[ENV.insecureDev]);
  const seedValue = env[ENV.seed];
  const keyFilePath = env[ENV.keyFile];
  if (seedValue !== undefined && keyFilePath !== undefined) {
    throw keystoreErrors.accessDenied(`set only one of ${ENV.seed} and ${ENV.keyFile}, not both`);
  }
  let secret: KeySecret;
  if (seedValue !== undefined) {
    secret = { kind: "seed", seed: parseSeed(seedValue) };
  } else if (keyFilePath !== undefined) {
    secret = readKeyFile(keyFilePath, readFile);
  } else if (insecureDev) {
    return { algorithm, secret: { kind: "seed", seed: INSECURE_DEV_SEED.slice() }, insecure: true };
  } else {
    throw keystoreErrors.accessDenied(NO_SECRET_MESSAGE);
  }
  if (secret.kind === "rsa-private-key" && algorithm !== "rsa-pss-sha256") {
    throw keystoreErrors.accessDenied(
      `${ENV.keyFile} holds an RSA private key, which serves only ${ENV.algorithm}=rsa-pss-sha256 (the algorithm is ${algorithm}); give a seed file to derive ${algorithm} keys`,
    );
  }
  return { algorithm, secret, insecure: false };
}
