// RSASSA-PSS with SHA-256, MGF1-SHA256, a 32-byte salt and trailer 0xbc (RFC 8017
// §8.1, §9.1), on BigInt. StarlingMonkey's crypto.subtle has no RSA-PSS and traps on
// RSA key import, so this is pure JS. Keys are PKCS#1 DER, the form keys:keystore
// hands out and the reference's `rsa` crate reads.

import { errors } from "../errors";
import { sha256 } from "../hash";
import { toHex } from "../hex";

const HASH_LEN = 32;
const SALT_LEN = 32;
/** Smaller moduli are no longer considered secure (NIST SP 800-131A). */
export const RSA_MIN_BITS = 2048;
/** The reference's `rsa` crate refuses larger keys, so we do too. */
export const RSA_MAX_BITS = 4096;
/** The `rsa` crate's bounds on the public exponent. */
const MAX_PUBLIC_EXPONENT = (1n << 33n) - 1n;
const PUBLIC_EXPONENT = 65537n;

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
}

export interface RsaPrivateKey extends RsaPublicKey {
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qinv: bigint;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt("0x" + toHex(bytes));
}

/** Big-endian, left-padded to `length` (I2OSP); throws if `x` does not fit. */
export function bigIntToBytes(x: bigint, length: number): Uint8Array {
  const hex = x.toString(16);
  if (x < 0n || hex.length > 2 * length) throw new RangeError("integer too large");
  const padded = hex.padStart(2 * length, "0");
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + parseInt(hex[0]!, 16).toString(2).length;
}

const byteLength = (x: bigint): number => Math.ceil(bitLength(x) / 8);

/** base^exponent mod modulus, with a 4-bit fixed window (one hex digit per step). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus <= 0n || exponent < 0n) throw new RangeError("modPow: bad modulus or exponent");
  if (modulus === 1n) return 0n;
  const b = ((base % modulus) + modulus) % modulus;
  const table: bigint[] = [1n, b];
  for (let i = 2; i < 16; i++) table.push((table[i - 1]! * b) % modulus);
  let r = 1n;
  for (const digit of exponent.toString(16)) {
    // Squaring 1 is a no-op, so skip it until the first non-zero digit.
    if (r !== 1n) for (let i = 0; i < 4; i++) r = (r * r) % modulus;
    const w = parseInt(digit, 16);
    if (w !== 0) r = (r * table[w]!) % modulus;
  }
  return r;
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** a^-1 mod m (extended Euclid); throws when gcd(a, m) ≠ 1. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const quotient = r0 / r1;
    [r0, r1] = [r1, r0 - quotient * r1];
    [s0, s1] = [s1, s0 - quotient * s1];
  }
  if (r0 !== 1n) throw new RangeError("modInverse: not invertible");
  return ((s0 % m) + m) % m;
}

function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** A uniformly random integer of at most `bits` bits. */
function randomBits(bits: number): bigint {
  const bytes = randomBytes(Math.ceil(bits / 8));
  bytes[0]! &= 0xff >> (bytes.length * 8 - bits);
  return bytesToBigInt(bytes);
}

const TAG_INTEGER = 0x02;
const TAG_SEQUENCE = 0x30;

/** Reads one definite-length TLV with the given tag at `pos`; returns its value span. */
function readTlv(
  der: Uint8Array,
  pos: number,
  tag: number,
  fail: (problem: string) => Error,
  name: string,
): { start: number; end: number } {
  if (pos >= der.length) throw fail(`truncated before ${name}`);
  if (der[pos] !== tag) {
    throw fail(`expected tag 0x${tag.toString(16)} for ${name}, got 0x${der[pos]!.toString(16)}`);
  }
  if (pos + 1 >= der.length) throw fail(`truncated length of ${name}`);
  const first = der[pos + 1]!;
  let length = first;
  let start = pos + 2;
  if (first === 0x80) throw fail(`indefinite length for ${name} is not DER`);
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) throw fail(`length of ${name} is too large`);
    if (start + count > der.length) throw fail(`truncated length of ${name}`);
    if (der[start] === 0) throw fail(`non-minimal length encoding for ${name}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    if (length < 0x80) throw fail(`non-minimal length encoding for ${name}`);
    start += count;
  }
  if (start + length > der.length) {
    throw fail(`${name} claims ${length} bytes but only ${der.length - start} remain`);
  }
  return { start, end: start + length };
}

/** Reads a non-negative, minimally encoded INTEGER; returns it and the next position. */
function readUnsigned(
  der: Uint8Array,
  pos: number,
  fail: (problem: string) => Error,
  name: string,
): [bigint, number] {
  const { start, end } = readTlv(der, pos, TAG_INTEGER, fail, name);
  if (end === start) throw fail(`${name} is an empty INTEGER`);
  if (der[start]! & 0x80) throw fail(`${name} is negative`);
  if (end - start > 1 && der[start] === 0 && !(der[start + 1]! & 0x80)) {
    throw fail(`${name} is not minimally encoded`);
  }
  return [bytesToBigInt(der.subarray(start, end)), end];
}

/** Parses `SEQUENCE { INTEGER… }` with exactly `names.length` members and nothing after. */
function readIntegerSequence(
  der: Uint8Array,
  names: readonly string[],
  fail: (problem: string) => Error,
): bigint[] {
  const { start, end } = readTlv(der, 0, TAG_SEQUENCE, fail, "the outer SEQUENCE");
  if (end !== der.length) throw fail(`${der.length - end} trailing bytes after the SEQUENCE`);
  const values: bigint[] = [];
  let pos = start;
  for (const name of names) {
    if (pos >= end) throw fail(`SEQUENCE ends before ${name}`);
    const [value, next] = readUnsigned(der, pos, fail, name);
    values.push(value);
    pos = next;
  }
  if (pos !== end) throw fail(`unexpected data after ${names[names.length - 1]}`);
  return values;
}

function checkPublic(n: bigint, e: bigint, fail: (problem: string) => Error): void {
  const bits = bitLength(n);
  if (bits < RSA_MIN_BITS) throw fail(`modulus is ${bits} bits; at least ${RSA_MIN_BITS} required`);
  if (bits > RSA_MAX_BITS) throw fail(`modulus is ${bits} bits; at most ${RSA_MAX_BITS} supported`);
  if ((n & 1n) === 0n) throw fail("modulus is even");
  if (e < 3n || e > MAX_PUBLIC_EXPONENT || (e & 1n) === 0n) {
    throw fail(`public exponent ${e} is not an odd number in [3, 2^33 - 1]`);
  }
}

const failer =
  (what: string) =>
  (problem: string): Error =>
    errors.invalid(`rsa-pss-sha256 ${what}: ${problem}`);

/** Parses PKCS#1 `RSAPublicKey` DER; throws `invalid` for malformed or unacceptable keys. */
export function parseRsaPublicKey(der: Uint8Array): RsaPublicKey {
  const fail = failer("public key (PKCS#1 DER RSAPublicKey)");
  const [n, e] = readIntegerSequence(der, ["modulus", "publicExponent"], fail) as [bigint, bigint];
  checkPublic(n, e, fail);
  return { n, e };
}

const PRIVATE_KEY_FIELDS = [
  "version",
  "modulus",
  "publicExponent",
  "privateExponent",
  "prime1",
  "prime2",
  "exponent1",
  "exponent2",
  "coefficient",
];

/** Parses PKCS#1 `RSAPrivateKey` DER (two-prime) and checks its parts agree. */
export function parseRsaPrivateKey(der: Uint8Array): RsaPrivateKey {
  const fail = failer("private key (PKCS#1 DER RSAPrivateKey)");
  // Read the version alone first, so a multi-prime key gets the right message.
  const { start, end } = readTlv(der, 0, TAG_SEQUENCE, fail, "the outer SEQUENCE");
  if (start >= end) throw fail("SEQUENCE ends before version");
  const [version] = readUnsigned(der, start, fail, "version");
  if (version === 1n) throw fail("multi-prime keys (version 1) are not supported");
  if (version !== 0n) throw fail(`unknown version ${version}`);
  const [, n, e, d, p, q, dp, dq, qinv] = readIntegerSequence(der, PRIVATE_KEY_FIELDS, fail) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  checkPublic(n, e, fail);
  if (p < 3n || q < 3n || p * q !== n) throw fail("prime1 * prime2 does not equal the modulus");
  if (dp !== d % (p - 1n) || dq !== d % (q - 1n)) {
    throw fail("exponent1/exponent2 do not match privateExponent");
  }
  if ((e * dp) % (p - 1n) !== 1n || (e * dq) % (q - 1n) !== 1n) {
    throw fail("privateExponent is not the inverse of publicExponent");
  }
  if (qinv >= p || (qinv * q) % p !== 1n) throw fail("coefficient is not prime2^-1 mod prime1");
  return { n, e, d, p, q, dp, dq, qinv };
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function encodeUnsigned(x: bigint): Uint8Array {
  let body = bigIntToBytes(x, Math.max(1, byteLength(x)));
  if (body[0]! & 0x80) body = Uint8Array.of(0, ...body);
  return Uint8Array.of(TAG_INTEGER, ...encodeLength(body.length), ...body);
}

function encodeIntegerSequence(values: readonly bigint[]): Uint8Array {
  const parts = values.map(encodeUnsigned);
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const header = [TAG_SEQUENCE, ...encodeLength(length)];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let pos = header.length;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

export function encodeRsaPublicKey(key: RsaPublicKey): Uint8Array {
  return encodeIntegerSequence([key.n, key.e]);
}

export function encodeRsaPrivateKey(k: RsaPrivateKey): Uint8Array {
  return encodeIntegerSequence([0n, k.n, k.e, k.d, k.p, k.q, k.dp, k.dq, k.qinv]);
}

/** The PKCS#1 public key DER that belongs to a PKCS#1 private key DER. */
export function rsaPublicKeyFromPrivate(privateKeyDer: Uint8Array): Uint8Array {
  const { n, e } = parseRsaPrivateKey(privateKeyDer);
  return encodeRsaPublicKey({ n, e });
}

/** MGF1 with SHA-256 (RFC 8017 §B.2.1). */
export async function mgf1Sha256(seed: Uint8Array, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  const block = new Uint8Array(seed.length + 4);
  block.set(seed, 0);
  const view = new DataView(block.buffer);
  for (let counter = 0, pos = 0; pos < length; counter++, pos += HASH_LEN) {
    view.setUint32(seed.length, counter);
    const digest = await sha256(block);
    out.set(digest.subarray(0, Math.min(HASH_LEN, length - pos)), pos);
  }
  return out;
}

/** H(0x00 * 8 || mHash || salt), the value PSS signs in place of the message. */
function pssHash(mHash: Uint8Array, salt: Uint8Array): Promise<Uint8Array> {
  const mPrime = new Uint8Array(8 + mHash.length + salt.length);
  mPrime.set(mHash, 8);
  mPrime.set(salt, 8 + mHash.length);
  return sha256(mPrime);
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) for an `emBits`-bit encoded message. */
export async function emsaPssEncode(
  mHash: Uint8Array,
  emBits: number,
  salt: Uint8Array,
): Promise<Uint8Array> {
  const emLen = Math.ceil(emBits / 8);
  if (emLen < HASH_LEN + salt.length + 2) throw errors.invalid("rsa-pss-sha256: modulus too small");
  const h = await pssHash(mHash, salt);
  const dbLen = emLen - HASH_LEN - 1;
  const db = new Uint8Array(dbLen);
  db[dbLen - salt.length - 1] = 0x01;
  db.set(salt, dbLen - salt.length);
  const mask = await mgf1Sha256(h, dbLen);
  const em = new Uint8Array(emLen);
  for (let i = 0; i < dbLen; i++) em[i] = db[i]! ^ mask[i]!;
  em[0]! &= 0xff >> (8 * emLen - emBits);
  em.set(h, dbLen);
  em[emLen - 1] = 0xbc;
  return em;
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with the salt length fixed at 32. */
export async function emsaPssVerify(
  mHash: Uint8Array,
  em: Uint8Array,
  emBits: number,
): Promise<boolean> {
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < HASH_LEN + SALT_LEN + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const dbLen = emLen - HASH_LEN - 1;
  const topMask = 0xff >> (8 * emLen - emBits);
  if ((em[0]! & ~topMask) !== 0) return false;
  const h = em.subarray(dbLen, dbLen + HASH_LEN);
  const mask = await mgf1Sha256(h, dbLen);
  const db = new Uint8Array(dbLen);
  for (let i = 0; i < dbLen; i++) db[i] = em[i]! ^ mask[i]!;
  db[0]! &= topMask;
  const separator = dbLen - SALT_LEN - 1;
  for (let i = 0; i < separator; i++) if (db[i] !== 0) return false;
  if (db[separator] !== 0x01) return false;
  const expected = await pssHash(mHash, db.subarray(dbLen - SALT_LEN));
  let diff = 0;
  for (let i = 0; i < HASH_LEN; i++) diff |= expected[i]! ^ h[i]!;
  return diff === 0;
}

/**
 * True iff `signature` is a valid RSASSA-PSS-SHA256 (salt 32) signature of `message`.
 * A malformed or unacceptable public key throws `invalid`; a bad signature is `false`.
 */
export async function rsaPssVerify(
  publicKeyDer: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const { n, e } = parseRsaPublicKey(publicKeyDer);
  // Like the `rsa` crate: the signature is exactly k bytes and its integer is below n.
  if (signature.length !== byteLength(n)) return false;
  const s = bytesToBigInt(signature);
  if (s >= n) return false;
  const m = modPow(s, e, n);
  const emBits = bitLength(n) - 1;
  const emLen = Math.ceil(emBits / 8);
  if (byteLength(m) > emLen) return false;
  return emsaPssVerify(await sha256(message), bigIntToBytes(m, emLen), emBits);
}

/** m^d mod n by CRT, blinded: BigInt arithmetic is not constant time, so hide m from timing. */
function privateOp(key: RsaPrivateKey, m: bigint): bigint {
  const { n, e, p, q, dp, dq, qinv } = key;
  let r: bigint;
  do r = randomBits(bitLength(n)) % n;
  while (r < 2n || gcd(r, n) !== 1n);
  const blinded = (m * modPow(r, e, n)) % n;
  const m1 = modPow(blinded % p, dp, p);
  const m2 = modPow(blinded % q, dq, q);
  const h = (((m1 - m2) % p) + p) % p;
  const s = m2 + ((qinv * h) % p) * q;
  return (s * modInverse(r, n)) % n;
}

/**
 * Signs `message` with RSASSA-PSS-SHA256 (salt 32) under a PKCS#1 private key DER.
 * `salt` defaults to 32 random bytes; pass one only for reproducible tests.
 */
export async function rsaPssSign(
  privateKeyDer: Uint8Array,
  message: Uint8Array,
  salt?: Uint8Array,
): Promise<Uint8Array> {
  const key = parseRsaPrivateKey(privateKeyDer);
  const theSalt = salt ?? randomBytes(SALT_LEN);
  if (theSalt.length !== SALT_LEN) {
    throw errors.invalid(`rsa-pss-sha256: salt must be ${SALT_LEN} bytes, got ${theSalt.length}`);
  }
  const em = await emsaPssEncode(await sha256(message), bitLength(key.n) - 1, theSalt);
  const m = bytesToBigInt(em);
  const s = privateOp(key, m);
  // A fault during CRT would leak a factor of n through the signature; never release one.
  if (modPow(s, key.e, key.n) !== m) {
    throw errors.invalid("rsa-pss-sha256: signature failed its self-check; not released");
  }
  return bigIntToBytes(s, byteLength(key.n));
}

let smallPrimes: number[] | undefined;

/** Odd primes below 2^14 for trial division (computed on first use). */
export function getSmallPrimes(): number[] {
  if (smallPrimes) return smallPrimes;
  const limit = 1 << 14;
  const composite = new Uint8Array(limit);
  const primes: number[] = [];
  for (let i = 3; i < limit; i += 2) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1;
  }
  return (smallPrimes = primes);
}

/** Miller-Rabin with random bases; `candidate` is odd and large. */
export function isProbablePrime(candidate: bigint, rounds: number): boolean {
  const nMinus1 = candidate - 1n;
  let d = nMinus1;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  const bits = bitLength(candidate);
  witness: for (let round = 0; round < rounds; round++) {
    let a: bigint;
    do a = randomBits(bits);
    while (a < 2n || a >= nMinus1);
    let x = modPow(a, d, candidate);
    if (x === 1n || x === nMinus1) continue;
    for (let i = 1; i < s; i++) {
      x = (x * x) % candidate;
      if (x === nMinus1) continue witness;
    }
    return false;
  }
  return true;
}

/** A random `bits`-bit prime p with the top two bits set and gcd(e, p - 1) = 1. */
function generatePrime(bits: number, e: bigint): bigint {
  const primes = getSmallPrimes();
  const top = 3n << BigInt(bits - 2);
  for (;;) {
    const base = randomBits(bits) | top | 1n;
    const residues = primes.map((p) => Number(base % BigInt(p)));
    // Walk odd numbers from `base`, sieving with the residues before any big-number work.
    for (let delta = 0; delta < 1 << 16; delta += 2) {
      let divisible = false;
      for (let i = 0; i < primes.length; i++) {
        if ((residues[i]! + delta) % primes[i]! === 0) {
          divisible = true;
          break;
        }
      }
      if (divisible) continue;
      const candidate = base + BigInt(delta);
      if (bitLength(candidate) !== bits) break;
      if ((candidate - 1n) % e === 0n) continue;
      // 8 rounds: far below 2^-100 error for random candidates of 1024+ bits (FIPS 186-5 B.3).
      if (isProbablePrime(candidate, 8)) return candidate;
    }
  }
}

/**
 * An RSA key (e = 65537) from primes of `bits / 2` bits drawn from `nextPrime`,
 * with the checks FIPS 186-5 asks for; shared by random and derived keygen.
 */
export async function rsaKeyFromPrimes(
  bits: number,
  nextPrime: (bits: number) => bigint | Promise<bigint>,
): Promise<RsaPrivateKey> {
  const e = PUBLIC_EXPONENT;
  const half = bits / 2;
  for (;;) {
    let p = await nextPrime(half);
    let q = await nextPrime(half);
    // Primes too close together make n easy to factor (Fermat).
    const distance = p > q ? p - q : q - p;
    if (distance <= 1n << BigInt(half - 100)) continue;
    if (p < q) [p, q] = [q, p];
    const n = p * q;
    if (bitLength(n) !== bits) continue;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(e, lambda);
    // FIPS 186-5 A.1.1: d must exceed 2^(bits/2).
    if (d <= 1n << BigInt(half)) continue;
    return { n, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qinv: modInverse(q, p) };
  }
}

/** A fresh RSA key (e = 65537) as PKCS#1 DER, for the software keystore. */
export async function rsaGenerateKey(
  bits = 2048,
): Promise<{ privateKeyDer: Uint8Array; publicKeyDer: Uint8Array }> {
  if (!Number.isInteger(bits) || bits % 2 !== 0 || bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    throw errors.invalid(
      `rsa-pss-sha256: key size must be an even number of bits in [${RSA_MIN_BITS}, ${RSA_MAX_BITS}], got ${bits}`,
    );
  }
  const key = await rsaKeyFromPrimes(bits, (half) => generatePrime(half, PUBLIC_EXPONENT));
  return { privateKeyDer: encodeRsaPrivateKey(key), publicKeyDer: encodeRsaPublicKey(key) };
}
