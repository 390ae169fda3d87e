// Canonical CBOR writer for the subset FORMAT §2 uses: unsigned ints, byte
// strings, UTF-8 text strings and definite-length array headers, all with
// shortest-form headers (RFC 8949 deterministic encoding, as ciborium writes it).
// Nothing else (maps, tags, floats, indefinite lengths) ever reaches a hash.
//
// Two ways to write: CborWriter (a growable buffer, item by item), and the
// helpers below (headLength/writeHead/...) for a caller that sizes its buffer
// exactly up front, as the entry encoder does on verify-chain's hot path.
// Inside StarlingMonkey (interpreted) the helpers avoid DataView and mixed
// BigInt/number comparisons; see docs/design/performance.md.

import { errors } from "./errors";
import { U64_MAX } from "./model";

export const MAJOR_UINT = 0;
export const MAJOR_BYTES = 2;
export const MAJOR_TEXT = 3;
export const MAJOR_ARRAY = 4;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const TWO_32 = 0x100000000;

const utf8 = new TextEncoder();

/** UTF-8 of the string as given (no normalisation). */
export function encodeUtf8(s: string): Uint8Array {
  return utf8.encode(s);
}

/**
 * Checks a major-type-0 value (0..2^64-1) and returns it as a number when it
 * is a safe integer, else as a bigint (only above 2^53-1).
 */
export function checkUint(n: bigint | number): bigint | number {
  if (typeof n === "number") {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw errors.encoding(`CBOR uint must be an integer in 0..2^64-1, got ${n}`);
    }
    return n;
  }
  if (n < 0n || n > U64_MAX) {
    throw errors.encoding(`CBOR uint must be in 0..2^64-1, got ${n}`);
  }
  return n <= MAX_SAFE ? Number(n) : n;
}

/** Bytes of the shortest header for argument `n` (a checked uint). */
export function headLength(n: bigint | number): number {
  if (typeof n === "bigint") return 9;
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < TWO_32 ? 5 : 9;
}

/** Writes the shortest header of `major` with argument `n` at `at`; returns the end. */
export function writeHead(buf: Uint8Array, at: number, major: number, n: bigint | number): number {
  const m = major << 5;
  if (typeof n === "bigint") {
    return write8(buf, at, m, Number(n >> 32n), Number(n & 0xffffffffn));
  }
  if (n < 24) {
    buf[at] = m | n;
    return at + 1;
  }
  if (n < 0x100) {
    buf[at] = m | 24;
    buf[at + 1] = n;
    return at + 2;
  }
  if (n < 0x10000) {
    buf[at] = m | 25;
    buf[at + 1] = n >>> 8;
    buf[at + 2] = n & 0xff;
    return at + 3;
  }
  if (n < TWO_32) {
    buf[at] = m | 26;
    write32(buf, at + 1, n);
    return at + 5;
  }
  return write8(buf, at, m, Math.floor(n / TWO_32), n >>> 0);
}

function write8(buf: Uint8Array, at: number, m: number, hi: number, lo: number): number {
  buf[at] = m | 27;
  write32(buf, at + 1, hi);
  write32(buf, at + 5, lo);
  return at + 9;
}

function write32(buf: Uint8Array, at: number, n: number): void {
  buf[at] = n >>> 24;
  buf[at + 1] = (n >>> 16) & 0xff;
  buf[at + 2] = (n >>> 8) & 0xff;
  buf[at + 3] = n & 0xff;
}

/** One complete item: header + the bytes (major 2 or 3). */
export function encodeItem(major: number, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(headLength(b.length) + b.length);
  out.set(b, writeHead(out, 0, major, b.length));
  return out;
}

/** Appends items to one growable buffer; `finish` hands back exactly the bytes written. */
export class CborWriter {
  private buf: Uint8Array;
  private len = 0;

  /** `capacity` is a size hint; a good one means `finish` does not copy. */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Major type 0. Accepts a bigint or a safe-integer number in 0..2^64-1. */
  uint(n: bigint | number): this {
    this.head(MAJOR_UINT, checkUint(n));
    return this;
  }

  /** Major type 2: the bytes as given. */
  bytes(b: Uint8Array): this {
    this.head(MAJOR_BYTES, b.length);
    this.put(b);
    return this;
  }

  /** Major type 3: UTF-8 of the string as given (no normalisation). */
  text(s: string): this {
    return this.textUtf8(utf8.encode(s));
  }

  /** Major type 3 from bytes already known to be UTF-8. */
  textUtf8(b: Uint8Array): this {
    this.head(MAJOR_TEXT, b.length);
    this.put(b);
    return this;
  }

  /** Major type 4 header only; the caller then writes `count` items. */
  array(count: number): this {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw errors.encoding(`CBOR array length must be a non-negative integer, got ${count}`);
    }
    this.head(MAJOR_ARRAY, count);
    return this;
  }

  finish(): Uint8Array {
    return this.len === this.buf.length ? this.buf : this.buf.slice(0, this.len);
  }

  private head(major: number, n: bigint | number): void {
    this.reserve(9);
    this.len = writeHead(this.buf, this.len, major, n);
  }

  private put(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  private reserve(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }
}
