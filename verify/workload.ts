// The scenario's inputs: streams, payload sizes, keystore settings. Payloads
// are deterministic so two runs write the same bytes.

import { SEVERITIES, type Severity } from "../src/core/model";
import type { SignatureAlgorithm } from "../src/core/signer";

export const ALGORITHMS: readonly SignatureAlgorithm[] = [
  "ed25519",
  "ecdsa-p256",
  "rsa-pss-sha256",
];

/** 0 bytes to 64 KiB, around the CBOR length boundaries (23/24, 255/256, 65535/65536). */
export const PAYLOAD_SIZES: readonly number[] = [0, 1, 23, 24, 255, 256, 1024, 4096, 65535, 65536];

export const STREAM_A = "audit.auth";
export const STREAM_B = "audit.billing";
export const PRODUCER = "verify-harness";
export const SIGNER_IDENTITY = "verify-harness";

/** Byte length of a signature per algorithm (RSA: the scenario's 2048-bit keys). */
export const SIGNATURE_LENGTH: Record<SignatureAlgorithm, number> = {
  ed25519: 64,
  "ecdsa-p256": 64,
  "rsa-pss-sha256": 256,
};

const seeds = new Map<SignatureAlgorithm, string>();

/**
 * A 32-byte secret per algorithm as 64 hex characters, drawn at random once per
 * process and never printed: a key the harness signs with must not be
 * derivable from anything public, this source included.
 */
export function keystoreSeed(algorithm: SignatureAlgorithm): string {
  let seed = seeds.get(algorithm);
  if (seed === undefined) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    seed = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    seeds.set(algorithm, seed);
  }
  return seed;
}

/** The environment of an instance whose keystore signs with `algorithm`. */
export function keystoreEnv(algorithm: SignatureAlgorithm): Record<string, string> {
  return { SECURE_LOG_KEYSTORE_ALG: algorithm, SECURE_LOG_KEYSTORE_SEED: keystoreSeed(algorithm) };
}

/** `size` deterministic bytes (xorshift), different per `tag`. */
export function payload(size: number, tag: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (0x9e3779b9 ^ (tag * 0x85ebca6b)) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export interface PlannedEntry {
  streamId: string;
  eventType: string;
  severity: Severity;
  payload: Uint8Array;
  /** Set for append-with-encoding. */
  encoding?: string;
}

/**
 * Both streams get every severity and every payload size, interleaved so
 * their seqnos alternate; stream A also gets one append-with-encoding entry.
 */
export function plannedEntries(): PlannedEntry[] {
  const out: PlannedEntry[] = [];
  PAYLOAD_SIZES.forEach((size, i) => {
    for (const [s, streamId] of [STREAM_A, STREAM_B].entries()) {
      out.push({
        streamId,
        eventType: `event.${i}`,
        severity: SEVERITIES[(i + s * 3) % SEVERITIES.length]!,
        payload: payload(size, i * 2 + s),
      });
    }
  });
  out.push({
    streamId: STREAM_A,
    eventType: "event.json",
    severity: "notice",
    payload: new TextEncoder().encode('{"user":"alice","action":"login"}'),
    encoding: "json",
  });
  return out;
}
