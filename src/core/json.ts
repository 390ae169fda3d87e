// A small strict JSON parser (RFC 8259) that keeps integers exact as bigint:
// the reference writes u64 values as bare JSON numbers, which JSON.parse
// would round above 2^53. Fractions and exponents never occur in our formats,
// so they are refused rather than approximated.

import { errors } from "./errors";

export type JsonValue = null | boolean | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

// serde_json's default recursion limit; deeper input would only be an attack.
const MAX_DEPTH = 128;

class Parser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly error: (message: string) => Error,
  ) {}

  fail(message: string, at = this.pos): never {
    throw this.error(`malformed JSON at position ${at}: ${message}`);
  }

  skipWs(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  value(depth: number): JsonValue {
    this.skipWs();
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.object(depth + 1);
      case "[":
        return this.array(depth + 1);
      case '"':
        return this.string();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      case undefined:
        return this.fail("unexpected end of input");
      default:
        if (c === "-" || (c >= "0" && c <= "9")) return this.number();
        return this.fail(`unexpected character ${JSON.stringify(c)}`);
    }
  }

  literal<T extends JsonValue>(word: string, v: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected '${word}'`);
    this.pos += word.length;
    return v;
  }

  number(): bigint {
    const start = this.pos;
    if (this.text[this.pos] === "-") this.pos++;
    const intStart = this.pos;
    while (this.pos < this.text.length && this.isDigit(this.pos)) this.pos++;
    const digits = this.pos - intStart;
    if (digits === 0) this.fail("expected a digit", this.pos);
    if (digits > 1 && this.text[intStart] === "0") this.fail("leading zero in number", intStart);
    const next = this.text[this.pos];
    if (next === ".") this.fail("fractional numbers are not supported (integers only)");
    if (next === "e" || next === "E") {
      this.fail("numbers with an exponent are not supported (integers only)");
    }
    return BigInt(this.text.slice(start, this.pos));
  }

  isDigit(i: number): boolean {
    const c = this.text.charCodeAt(i);
    return c >= 0x30 && c <= 0x39;
  }

  string(): string {
    const open = this.pos++;
    let out = "";
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) this.fail("unterminated string", open);
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += this.text.slice(runStart, this.pos++);
        return out;
      }
      if (c < 0x20) this.fail("control character in string");
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.text.slice(runStart, this.pos);
      out += this.escape();
      runStart = this.pos;
    }
  }

  escape(): string {
    const at = this.pos;
    const e = this.text[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "/":
        return "/";
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "u": {
        const hi = this.hex4();
        if (hi >= 0xdc00 && hi <= 0xdfff) this.fail("lone trailing surrogate in \\u escape", at);
        if (hi < 0xd800 || hi > 0xdbff) return String.fromCharCode(hi);
        if (this.text[this.pos] !== "\\" || this.text[this.pos + 1] !== "u") {
          this.fail("lone leading surrogate in \\u escape", at);
        }
        this.pos += 2;
        const lo = this.hex4();
        if (lo < 0xdc00 || lo > 0xdfff) this.fail("lone leading surrogate in \\u escape", at);
        return String.fromCharCode(hi, lo);
      }
      default:
        return this.fail("invalid escape", at);
    }
  }

  hex4(): number {
    const h = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail("expected 4 hex digits after \\u");
    this.pos += 4;
    return parseInt(h, 16);
  }

  array(depth: number): JsonValue[] {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWs();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.skipWs();
      const c = this.text[this.pos++];
      if (c === "]") return out;
      if (c !== ",") this.fail("expected ',' or ']'", this.pos - 1);
    }
  }

  object(depth: number): JsonObject {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    this.pos++;
    // No prototype, so keys such as "__proto__" are plain data.
    const out = Object.create(null) as JsonObject;
    this.skipWs();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      const keyAt = this.pos;
      if (this.text[this.pos] !== '"') this.fail("expected a string key");
      const key = this.string();
      if (Object.hasOwn(out, key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      this.skipWs();
      if (this.text[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      out[key] = this.value(depth);
      this.skipWs();
      const c = this.text[this.pos++];
      if (c === "}") return out;
      if (c !== ",") this.fail("expected ',' or '}'", this.pos - 1);
    }
  }
}

/**
 * Parses one JSON value; integers come back as bigint. Malformed input throws
 * `fail("malformed JSON at position N: …")`, an `invalid` error by default.
 */
export function parseJson(
  text: string,
  fail: (message: string) => Error = errors.invalid,
): JsonValue {
  const p = new Parser(text, fail);
  const v = p.value(0);
  p.skipWs();
  if (p.pos !== text.length) p.fail("trailing characters after the value");
  return v;
}

export function jsonTypeName(v: JsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "bigint") return "integer";
  return typeof v;
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A JSON string literal exactly as serde_json writes it: `"` and `\` escaped,
 * \b \f \n \r \t short forms, other controls as \u00xx, everything else raw.
 */
export function jsonString(s: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(runStart, i);
    runStart = i + 1;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else out += "\\u00" + c.toString(16).padStart(2, "0");
  }
  return out + s.slice(runStart) + '"';
}

/**
 * Typed access to an object's fields with serde's rules (required unless
 * optional, unknown keys ignored). Messages name the field by its path.
 */
export class JsonFields {
  constructor(
    private readonly obj: JsonObject,
    private readonly where: string,
    private readonly fail: (message: string) => Error,
  ) {}

  static of(v: JsonValue, where: string, fail: (message: string) => Error): JsonFields {
    if (!isJsonObject(v)) {
      throw fail(`${where || "value"}: expected object, got ${jsonTypeName(v)}`);
    }
    return new JsonFields(v, where === "" ? "" : `${where}.`, fail);
  }

  private get(key: string): JsonValue {
    if (!Object.hasOwn(this.obj, key)) throw this.fail(`${this.where}${key}: missing field`);
    return this.obj[key]!;
  }

  private wrong(key: string, expected: string, v: JsonValue): Error {
    return this.fail(`${this.where}${key}: expected ${expected}, got ${jsonTypeName(v)}`);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.obj, key);
  }

  string(key: string): string {
    const v = this.get(key);
    if (typeof v !== "string") throw this.wrong(key, "string", v);
    return v;
  }

  /** A missing key or null is null, like serde's Option. */
  optionalString(key: string): string | null {
    const v = this.has(key) ? this.obj[key]! : null;
    if (v !== null && typeof v !== "string") throw this.wrong(key, "string or null", v);
    return v;
  }

  bool(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== "boolean") throw this.wrong(key, "boolean", v);
    return v;
  }

  u64(key: string): bigint {
    return this.unsigned(key, 64n, "u64");
  }

  u32(key: string): number {
    return Number(this.unsigned(key, 32n, "u32"));
  }

  private unsigned(key: string, bits: bigint, name: string): bigint {
    const v = this.get(key);
    if (typeof v !== "bigint") throw this.wrong(key, name, v);
    if (v < 0n || v >= 1n << bits) {
      throw this.fail(`${this.where}${key}: ${v} is out of range for ${name}`);
    }
    return v;
  }

  array(key: string): JsonValue[] {
    const v = this.get(key);
    if (!Array.isArray(v)) throw this.wrong(key, "array", v);
    return v;
  }
}
