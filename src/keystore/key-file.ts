// The key file named by SECURE_LOG_KEYSTORE_KEY_FILE. Two forms (see
// docs/design/keystore-software.md):
//
//   - a seed: one line of exactly 64 hex characters (32 bytes); blank lines and
//     lines starting with '#' are ignored. Keys are derived per label from it.
//   - an RSA private key, for SECURE_LOG_KEYSTORE_ALG=rsa-pss-sha256 only: PEM
//     ("RSA PRIVATE KEY" = PKCS#1, or unencrypted "PRIVATE KEY" = PKCS#8) or
//     binary PKCS#1 DER. That one key then answers to every label.
//
// The contents are secret: every message describes the problem, never the bytes.

import { parseRsaPrivateKey } from "../core/signatures/rsa-pss";
import { SecureLogError } from "../core/errors";
import { parseHexExact } from "../core/hex";
import { unwrapPkcs8Rsa } from "./pkcs8";

export type KeyFileContents =
  { kind: "seed"; seed: Uint8Array } | { kind: "rsa-private-key"; der: Uint8Array };

/** Why a key file was rejected; the caller adds the variable and the path. */
export class KeyFileError extends Error {
  constructor(problem: string, options?: { cause?: unknown }) {
    super(problem, options);
    this.name = "KeyFileError";
  }
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function rsaKey(pkcs1: Uint8Array, form: string): KeyFileContents {
  try {
    parseRsaPrivateKey(pkcs1);
  } catch (e) {
    const why = e instanceof SecureLogError ? e.message : "unreadable";
    throw new KeyFileError(`the ${form} RSA private key is not usable: ${why}`, {
      cause: e,
    });
  }
  return { kind: "rsa-private-key", der: pkcs1 };
}

function base64Decode(body: string): Uint8Array {
  let text: string;
  try {
    text = atob(body.replace(/\s+/g, ""));
  } catch (e) {
    throw new KeyFileError("the PEM body is not valid base64", { cause: e });
  }
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function fromPem(text: string): KeyFileContents {
  const blocks = [...text.matchAll(PEM)];
  if (blocks.length !== 1) {
    throw new KeyFileError(`expected exactly one PEM block, found ${blocks.length}`);
  }
  const [, label, body] = blocks[0]!;
  if (/Proc-Type:|DEK-Info:/.test(body!) || label === "ENCRYPTED PRIVATE KEY") {
    throw new KeyFileError(
      "encrypted PEM keys are not supported; store the key unencrypted under a directory only this component is given",
    );
  }
  if (label === "RSA PRIVATE KEY") return rsaKey(base64Decode(body!), "PKCS#1 PEM");
  if (label === "PRIVATE KEY") {
    const inner = unwrapPkcs8Rsa(base64Decode(body!));
    if (typeof inner === "string") throw new KeyFileError(inner);
    return rsaKey(inner, "PKCS#8 PEM");
  }
  throw new KeyFileError(
    `unsupported PEM block "${label}"; use "RSA PRIVATE KEY" or "PRIVATE KEY" (RSA)`,
  );
}

function fromSeedText(text: string): KeyFileContents {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (lines.length === 0) throw new KeyFileError("the file holds no seed line (64 hex characters)");
  if (lines.length > 1) {
    throw new KeyFileError(`expected one seed line, found ${lines.length} non-comment lines`);
  }
  const seed = parseHexExact(lines[0]!, 32);
  if (typeof seed === "string") {
    throw new KeyFileError(
      `the seed line must be exactly 64 hex characters (32 bytes); it has ${lines[0]!.length} characters` +
        (/^[0-9a-fA-F]*$/.test(lines[0]!) ? "" : " and some are not hex digits"),
    );
  }
  return { kind: "seed", seed };
}

/** Parses the key file's bytes; throws KeyFileError. */
export function parseKeyFile(bytes: Uint8Array): KeyFileContents {
  if (bytes.length === 0) throw new KeyFileError("the file is empty");
  // DER starts with SEQUENCE and a long-form length byte (≥ 0x80), which no text has.
  if (bytes[0] === 0x30 && bytes.length > 1 && bytes[1]! >= 0x80) {
    return rsaKey(bytes.slice(), "PKCS#1 DER");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    throw new KeyFileError("the file is neither text (seed or PEM) nor PKCS#1 DER", { cause: e });
  }
  return text.includes("-----BEGIN ") ? fromPem(text) : fromSeedText(text);
}
