// The data the log works on, shaped as jco represents the WIT records
// (camelCase fields, bigint for u64, Uint8Array for list<u8>, undefined for none),
// so component entries pass them through without conversion.

import { errors } from "./errors";

export const ENTRY_VERSION = 1;
export const CHECKPOINT_VERSION = 1;
export const HASH_LEN = 32;
export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_LEN);
export const ENCODER_CBOR = "cbor";
export const U64_MAX = (1n << 64n) - 1n;

export const SEVERITIES = [
  "emergency",
  "alert",
  "critical",
  "error",
  "warning",
  "notice",
  "info",
  "debug",
] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Strict, case-sensitive, as the reference (FORMAT §1). */
export function parseSeverity(text: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(text)) return text as Severity;
  throw errors.invalid(
    `unknown severity: ${JSON.stringify(text)} (expected one of ${SEVERITIES.join(", ")})`,
  );
}

export const TIERS = ["public", "protected", "highly-restricted"] as const;
export type Tier = (typeof TIERS)[number];

/** Lowercases first and accepts `highly_restricted`, as the reference's FromStr. */
export function parseTier(text: string): Tier {
  const t = text.toLowerCase();
  if (t === "public" || t === "protected" || t === "highly-restricted") return t;
  if (t === "highly_restricted") return "highly-restricted";
  throw errors.invalid(
    `unknown confidentiality tier: '${text}' (expected: public, protected, highly-restricted)`,
  );
}

export interface EntryFields {
  version: number;
  streamId: string;
  sessionId: string;
  bootId: string;
  seqno: bigint;
  timestampRfc3339: string;
  eventType: string;
  severity: Severity;
  producer: string;
  payloadEncoding: string;
  payload: Uint8Array;
  prevEntryHash: Uint8Array;
}

export interface CheckpointFields {
  version: number;
  streamId: string;
  segmentId: bigint;
  seqStart: bigint;
  seqEnd: bigint;
  merkleRoot: Uint8Array;
  lastEntryHash: Uint8Array;
  prevCheckpointHash: Uint8Array;
  bootId: string;
  sessionId: string;
  policyHash: Uint8Array;
  timestampRfc3339: string;
}

export interface AppendResult {
  seqno: bigint;
  entryHash: Uint8Array;
}

export interface StreamInfo {
  name: string;
  tier: string;
  description?: string;
  deprecatedAt?: bigint;
}

export interface SegmentInfo {
  segmentId: bigint;
  streamId: string;
  seqStart: bigint;
  seqEnd: bigint;
  merkleRoot: Uint8Array;
  lastEntryHash: Uint8Array;
  prevCheckpointHash: Uint8Array;
  closedAtRfc3339: string;
  signature?: Uint8Array;
  signerIdentity?: string;
}

export interface ProofStep {
  siblingHash: Uint8Array;
  right: boolean;
}

export interface InclusionProof {
  seqno: bigint;
  entryHash: Uint8Array;
  segmentId: bigint;
  merkleRoot: Uint8Array;
  path: ProofStep[];
}
