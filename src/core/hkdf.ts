// HKDF-SHA256 (RFC 5869) with the salt absent, as every derivation in the
// reference does (FORMAT §8.1). HMAC runs through WebCrypto, which is native in
// StarlingMonkey, hence async.

import { errors } from "./errors";

const HASH_LEN = 32;
const ZERO_SALT = new Uint8Array(HASH_LEN);
const utf8 = new TextEncoder();

async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  // Our buffers are never shared; the cast only satisfies the DOM typing.
  const hmac = { name: "HMAC", hash: "SHA-256" };
  const k = await subtle.importKey("raw", key as BufferSource, hmac, false, ["sign"]);
  return new Uint8Array(await subtle.sign("HMAC", k, data as BufferSource));
}

/** OKM of `length` bytes; `info` strings are taken as UTF-8 with no length prefix. */
export async function hkdfSha256(
  ikm: Uint8Array,
  info: string | Uint8Array,
  length = 32,
): Promise<Uint8Array> {
  if (!Number.isInteger(length) || length < 1 || length > 255 * HASH_LEN) {
    throw errors.invalid(`hkdf output length out of range: ${length}`);
  }
  const infoBytes = typeof info === "string" ? utf8.encode(info) : info;
  // An absent salt is HashLen zero bytes (RFC 5869 §2.2).
  const prk = await hmacSha256(ZERO_SALT, ikm);
  const okm = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, off = 0; off < length; i++) {
    const block = new Uint8Array(t.length + infoBytes.length + 1);
    block.set(t, 0);
    block.set(infoBytes, t.length);
    block[block.length - 1] = i;
    t = await hmacSha256(prk, block);
    okm.set(t.subarray(0, Math.min(HASH_LEN, length - off)), off);
    off += HASH_LEN;
  }
  return okm;
}
