// Canonical CBOR writer for the subset FORMAT §2 uses: unsigned ints, byte
// strings, UTF-8 text strings and definite-length array headers, all with
// shortest-form headers (RFC 8949 deterministic encoding, as ciborium writes it).
// Nothing else (maps, tags, floats, indefinite lengths) ever reaches a hash.

import { errors } from "./errors";
import { U64_MAX } from "./model";

const MAJOR_UINT = 0;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_ARRAY = 4;

const utf8 = new TextEncoder();

/** Appends items to one growable buffer; `finish` hands back exactly the bytes written. */
export class CborWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  /** `capacity` is a size hint; a good one means `finish` does not copy. */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(16, capacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Major type 0. Accepts a bigint or a safe-integer number in 0..2^64-1. */
  uint(n: bigint | number): this {
    if (typeof n === "number") {
      if (!Number.isSafeInteger(n) || n < 0) {
        throw errors.encoding(`CBOR uint must be an integer in 0..2^64-1, got ${n}`);
      }
    } else if (n < 0n || n > U64_MAX) {
      throw errors.encoding(`CBOR uint must be in 0..2^64-1, got ${n}`);
    }
    this.head(MAJOR_UINT, n);
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
    const m = major << 5;
    this.reserve(9);
    const at = this.len;
    if (n < 24) {
      this.buf[at] = m | Number(n);
      this.len += 1;
    } else if (n < 0x100) {
      this.buf[at] = m | 24;
      this.buf[at + 1] = Number(n);
      this.len += 2;
    } else if (n < 0x10000) {
      this.buf[at] = m | 25;
      this.view.setUint16(at + 1, Number(n));
      this.len += 3;
    } else if (n < 0x100000000) {
      this.buf[at] = m | 26;
      this.view.setUint32(at + 1, Number(n));
      this.len += 5;
    } else {
      this.buf[at] = m | 27;
      this.view.setBigUint64(at + 1, BigInt(n));
      this.len += 9;
    }
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
    this.view = new DataView(grown.buffer);
  }
}
