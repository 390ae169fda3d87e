// Deterministic RSA key generation: every random choice (prime candidates and
// Miller-Rabin bases) comes from one HMAC_DRBG stream, so the same DRBG seed
// always gives the same key. The steps are the ones docs/design/keystore-software.md
// fixes; changing any of them changes every derived RSA key.

import {
  bitLength,
  bytesToBigInt,
  encodeRsaPrivateKey,
  getSmallPrimes,
  modPow,
  rsaKeyFromPrimes,
} from "../core/signatures/rsa-pss";
import type { HmacDrbg } from "./hmac-drbg";

export const DERIVED_RSA_BITS = 2048;
const PUBLIC_EXPONENT = 65537n;
/** Miller-Rabin rounds with DRBG bases after the base-2 round (rsa-pss.ts's keygen uses 8 too). */
const MR_ROUNDS = 8;
/** How far one candidate is walked (in steps of 2) before a fresh one is drawn. */
const WALK = 1 << 16;

/** One Miller-Rabin round for odd `n` = 2^s·d + 1 with base `a`. */
function millerRabinRound(n: bigint, d: bigint, s: number, a: bigint): boolean {
  let x = modPow(a, d, n);
  if (x === 1n || x === n - 1n) return true;
  for (let i = 1; i < s; i++) {
    x = (x * x) % n;
    if (x === n - 1n) return true;
  }
  return false;
}

/** Base 2 first (cheap rejection), then MR_ROUNDS bases drawn from the DRBG in [2, n - 2]. */
async function isProbablePrime(n: bigint, drbg: HmacDrbg): Promise<boolean> {
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  if (!millerRabinRound(n, d, s, 2n)) return false;
  const byteCount = Math.ceil(bitLength(n) / 8);
  for (let round = 0; round < MR_ROUNDS; round++) {
    const a = (bytesToBigInt(await drbg.generate(byteCount)) % (n - 3n)) + 2n;
    if (!millerRabinRound(n, d, s, a)) return false;
  }
  return true;
}

/**
 * A `bits`-bit probable prime p with its top two bits set and gcd(e, p - 1) = 1:
 * draw a candidate from the DRBG, then walk odd numbers upwards from it, sieving
 * by small primes, until one passes Miller-Rabin.
 */
async function derivePrime(drbg: HmacDrbg, bits: number): Promise<bigint> {
  const primes = getSmallPrimes();
  const top = 3n << BigInt(bits - 2);
  for (;;) {
    const base = bytesToBigInt(await drbg.generate(bits / 8)) | top | 1n;
    const residues = primes.map((p) => Number(base % BigInt(p)));
    walk: for (let delta = 0; delta < WALK; delta += 2) {
      for (let i = 0; i < primes.length; i++) {
        if ((residues[i]! + delta) % primes[i]! === 0) continue walk;
      }
      const candidate = base + BigInt(delta);
      if (bitLength(candidate) !== bits) break;
      if ((candidate - 1n) % PUBLIC_EXPONENT === 0n) continue;
      if (await isProbablePrime(candidate, drbg)) return candidate;
    }
  }
}

/**
 * An RSA private key (e = 65537) as PKCS#1 DER, wholly determined by the DRBG's seed.
 * p and q are redrawn until |p - q| > 2^(bits/2 - 100) and d > 2^(bits/2) (FIPS 186-5 A.1.1).
 */
export async function deriveRsaPrivateKey(
  drbg: HmacDrbg,
  bits = DERIVED_RSA_BITS,
): Promise<Uint8Array> {
  if (!Number.isInteger(bits) || bits % 16 !== 0 || bits < 2048 || bits > 4096) {
    throw new RangeError(`derived RSA keys are 2048 to 4096 bits in steps of 16, not ${bits}`);
  }
  return encodeRsaPrivateKey(await rsaKeyFromPrimes(bits, (half) => derivePrime(drbg, half)));
}
