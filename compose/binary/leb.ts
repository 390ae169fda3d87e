import { PlugError } from "../errors";

/**
 * A cursor over a byte range. Every read is bounds-checked because input
 * components come from disk and may be truncated or not components at all.
 */
export class Reader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(what: string): never {
    throw new PlugError("malformed", `malformed component: ${what} at byte ${this.pos}`);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail("unexpected end");
    return this.bytes[this.pos++]!;
  }

  peek(): number {
    if (this.pos >= this.end) this.fail("unexpected end");
    return this.bytes[this.pos]!;
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) this.fail("u32 LEB128 too long");
    }
    if (result > 0xffffffff) this.fail("u32 out of range");
    return result;
  }

  /** Signed LEB128 of up to 33 bits: value types use it so that negative values are primitives. */
  s33(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.u8();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (shift > 35) this.fail("s33 LEB128 too long");
    } while (byte & 0x80);
    if (byte & 0x40) result -= 2 ** shift;
    return result;
  }

  bytesN(n: number): Uint8Array {
    if (this.pos + n > this.end) this.fail("unexpected end");
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const len = this.u32();
    return new TextDecoder("utf-8", { fatal: true }).decode(this.bytesN(len));
  }

  vec<T>(item: () => T): T[] {
    const n = this.u32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }

  /** `0x00` for absent, `0x01 T` for present. */
  optional<T>(item: () => T): T | undefined {
    const tag = this.u8();
    if (tag === 0) return undefined;
    if (tag === 1) return item();
    return this.fail(`bad option tag 0x${tag.toString(16)}`);
  }
}

/** Growable byte buffer with the LEB128 emitters the encoder needs. */
export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(byte: number): this {
    this.reserve(1);
    this.buf[this.len++] = byte;
    return this;
  }

  u32(value: number): this {
    let v = value >>> 0;
    do {
      let byte = v & 0x7f;
      v >>>= 7;
      if (v !== 0) byte |= 0x80;
      this.u8(byte);
    } while (v !== 0);
    return this;
  }

  s33(value: number): this {
    let v = value;
    for (;;) {
      const byte = v & 0x7f;
      v = Math.floor(v / 128);
      const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
      this.u8(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  string(s: string): this {
    const data = new TextEncoder().encode(s);
    return this.u32(data.length).bytes(data);
  }

  vec<T>(items: readonly T[], item: (w: this, x: T) => void): this {
    this.u32(items.length);
    for (const x of items) item(this, x);
    return this;
  }

  optional<T>(value: T | undefined, item: (w: this, x: T) => void): this {
    if (value === undefined) return this.u8(0);
    this.u8(1);
    item(this, value);
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
