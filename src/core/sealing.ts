// Payload AEAD: ChaCha20-Poly1305 (RFC 8439) under HKDF-derived keys.
// v1 reproduces the reference bytes (FORMAT §8.1-8.3); v2 derives the key and
// AAD from the entry's seqno instead of a guessed segment id (§10.3, §10.4).
// docs/design/aead-v2.md says exactly where v2 departs from v1.

import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { errors } from "./errors";
import { toHex } from "./hex";
import { hkdfSha256 } from "./hkdf";
import { TIERS, U64_MAX, type Tier } from "./model";

export const AEAD_NAME_V1 = "cbor+aead-chacha20poly1305-v1";
export const AEAD_NAME_V2 = "cbor+aead-chacha20poly1305-v2";
export const NONCE_LEN = 12;
export const TAG_LEN = 16;
export const MINIMIZED_TAG_PREFIX = "min:";

const KEY_LEN = 32;
const utf8 = new TextEncoder();

function checkKey(key: Uint8Array, what: string): void {
  if (key.length !== KEY_LEN) {
    throw errors.invalid(`${what} must be ${KEY_LEN} bytes, got ${key.length}`);
  }
}

// Tiers arrive as strings across the component boundary, so check them here:
// a misspelt tier would silently derive a different key.
function checkTier(tier: Tier): void {
  if (!(TIERS as readonly string[]).includes(tier)) {
    throw errors.invalid(`unknown confidentiality tier: '${tier}'`);
  }
}

function u64(n: bigint, what: string): string {
  if (n < 0n || n > U64_MAX) throw errors.invalid(`${what} out of u64 range: ${n}`);
  return n.toString(10);
}

export async function deriveStreamKey(
  master: Uint8Array,
  streamId: string,
  tier: Tier,
): Promise<Uint8Array> {
  checkKey(master, "master key");
  checkTier(tier);
  return hkdfSha256(master, `tpm:secure-log:v1:stream=${streamId}:tier=${tier}`);
}

export async function deriveSegmentKey(
  streamKey: Uint8Array,
  segmentId: bigint,
): Promise<Uint8Array> {
  checkKey(streamKey, "stream key");
  return hkdfSha256(streamKey, `v1:segment:${u64(segmentId, "segment id")}`);
}

export function aadV1(streamId: string, tier: Tier, segmentId: bigint): Uint8Array {
  checkTier(tier);
  return utf8.encode(
    `tpm:secure-log:v1:stream=${streamId}:tier=${tier}:segment=${u64(segmentId, "segment id")}`,
  );
}

/** v2 entry key from an already derived (v1-identical) stream key; lets callers cache it. */
export async function deriveEntryKeyV2(streamKey: Uint8Array, seqno: bigint): Promise<Uint8Array> {
  checkKey(streamKey, "stream key");
  return hkdfSha256(streamKey, `v2:entry:${u64(seqno, "seqno")}`);
}

export async function entryKeyV2(
  master: Uint8Array,
  streamId: string,
  tier: Tier,
  seqno: bigint,
): Promise<Uint8Array> {
  return deriveEntryKeyV2(await deriveStreamKey(master, streamId, tier), seqno);
}

export function aadV2(streamId: string, tier: Tier, seqno: bigint): Uint8Array {
  checkTier(tier);
  return utf8.encode(
    `tpm:secure-log:v2:stream=${streamId}:tier=${tier}:seqno=${u64(seqno, "seqno")}`,
  );
}

/** nonce (12) || ciphertext || tag (16). The nonce is random unless given (test vectors). */
export function sealPayload(
  key: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  nonce?: Uint8Array,
): Uint8Array {
  checkKey(key, "payload key");
  // Drawn per call, never at module load: StarlingMonkey forbids imports then.
  const n = nonce ?? globalThis.crypto.getRandomValues(new Uint8Array(NONCE_LEN));
  if (n.length !== NONCE_LEN) {
    throw errors.invalid(`nonce must be ${NONCE_LEN} bytes, got ${n.length}`);
  }
  const ct = chacha20poly1305(key, n, aad).encrypt(plaintext);
  const out = new Uint8Array(NONCE_LEN + ct.length);
  out.set(n, 0);
  out.set(ct, NONCE_LEN);
  return out;
}

export function openPayload(key: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  checkKey(key, "payload key");
  if (sealed.length < NONCE_LEN + TAG_LEN) {
    throw errors.encoding(`sealed payload too short: ${sealed.length} bytes`);
  }
  const nonce = sealed.subarray(0, NONCE_LEN);
  try {
    return chacha20poly1305(key, nonce, aad).decrypt(sealed.subarray(NONCE_LEN));
  } catch (cause) {
    throw errors.encoding("aead open failed: authentication tag mismatch", cause);
  }
}

/**
 * FORMAT §8.5, reference bytes. The info string is ambiguous across streams
 * (§10.8) but changing it would change hashed entry bytes, so it stays.
 */
export async function minimizeTag(
  master: Uint8Array,
  streamId: string,
  fieldKind: "event_type" | "producer",
  value: string,
): Promise<string> {
  checkKey(master, "master key");
  const okm = await hkdfSha256(
    master,
    `tpm:secure-log:v1:minimize:stream=${streamId}:field=${fieldKind}:value=${value}`,
  );
  return MINIMIZED_TAG_PREFIX + toHex(okm.subarray(0, 8));
}
