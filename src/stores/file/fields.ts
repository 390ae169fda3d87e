// Strict typed reads from one parsed record. The file is ours, so anything not
// exactly as we write it (a missing or unknown field, a wrong type, a u64 with a
// sign or leading zero, upper-case hex) is refused rather than guessed at.

import { parseHex } from "../../core/hex";
import { SEVERITIES, U64_MAX, type Severity } from "../../core/model";

export class RecordError extends Error {}

const U64_TEXT = /^(?:0|[1-9][0-9]*)$/;
const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export function u64FromText(v: unknown, where: string): bigint {
  if (typeof v !== "string") {
    throw new RecordError(`${where}: expected a u64 as a decimal string, got ${typeName(v)}`);
  }
  if (!U64_TEXT.test(v) || BigInt(v) > U64_MAX) {
    throw new RecordError(`${where}: ${show(v)} is not a u64 in decimal`);
  }
  return BigInt(v);
}

export class Fields {
  private readonly used = new Set<string>();

  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly where: string,
  ) {}

  static of(v: unknown, where: string): Fields {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      throw new RecordError(`${where}: expected an object, got ${typeName(v)}`);
    }
    return new Fields(v as Record<string, unknown>, where);
  }

  private at(key: string): string {
    return `${this.where}.${key}`;
  }

  private get(key: string): unknown {
    this.used.add(key);
    if (!Object.hasOwn(this.obj, key)) throw new RecordError(`${this.at(key)}: missing field`);
    return this.obj[key];
  }

  private wrong(key: string, expected: string, v: unknown): RecordError {
    return new RecordError(`${this.at(key)}: expected ${expected}, got ${typeName(v)}`);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.obj, key);
  }

  string(key: string): string {
    const v = this.get(key);
    if (typeof v !== "string") throw this.wrong(key, "a string", v);
    return v;
  }

  /** Absent is undefined; we never write null. */
  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  u64(key: string): bigint {
    return u64FromText(this.get(key), this.at(key));
  }

  bytes(key: string): Uint8Array {
    const v = this.get(key);
    if (typeof v !== "string") throw this.wrong(key, "lower-case hex", v);
    const bytes = LOWER_HEX.test(v) ? parseHex(v) : undefined;
    if (bytes === undefined || typeof bytes === "string") {
      throw new RecordError(`${this.at(key)}: ${show(v)} is not lower-case hex of whole bytes`);
    }
    return bytes;
  }

  optionalBytes(key: string): Uint8Array | undefined {
    return this.has(key) ? this.bytes(key) : undefined;
  }

  severity(key: string): Severity {
    const v = this.string(key);
    if (!(SEVERITIES as readonly string[]).includes(v)) {
      throw new RecordError(`${this.at(key)}: unknown severity ${show(v)}`);
    }
    return v as Severity;
  }

  array(key: string): unknown[] {
    const v = this.get(key);
    if (!Array.isArray(v)) throw this.wrong(key, "an array", v);
    return v;
  }

  u64Array(key: string): bigint[] {
    return this.array(key).map((v, i) => u64FromText(v, `${this.at(key)}[${i}]`));
  }

  /** Call after reading every field: a field we do not know is refused, not ignored. */
  done(): void {
    const extra = Object.keys(this.obj).filter((k) => !this.used.has(k));
    if (extra.length > 0) {
      throw new RecordError(`${this.where}: unknown field ${show(extra[0])}`);
    }
  }
}
