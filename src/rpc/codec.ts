// Wire types: how each WIT type of the store interface travels as JSON, and the
// strict conversion both ways. u64/s64 are decimal strings (JSON numbers lose
// precision above 2^53 in most parsers), u32 a JSON integer, bytes lowercase hex,
// option null, records objects with jco's camelCase names, tuples arrays.
// Decoding is strict: every field present, no unknown ones, and a failure names
// its path. Input from the other end is untrusted; parse defensively.

import type { JsonObject, JsonValue } from "../core/json";
import { jsonTypeName, isJsonObject } from "../core/json";
import { SEVERITIES } from "../core/model";
import { toHex } from "../core/hex";
import { RpcError } from "./errors";

export type WireType =
  | "unit"
  | "string"
  | "u32"
  | "u64"
  | "s64"
  | "bytes"
  | "severity"
  | { option: WireType }
  | { list: WireType }
  | { tuple: WireType[] }
  | { record: [string, WireType][] };

const U64_MAX = (1n << 64n) - 1n;
const S64_MIN = -(1n << 63n);
const S64_MAX = (1n << 63n) - 1n;
const U64_TEXT = /^(0|[1-9][0-9]*)$/;
const S64_TEXT = /^(0|-?[1-9][0-9]*)$/;
const HEX_TEXT = /^([0-9a-f]{2})*$/;

function bad(path: string, message: string): RpcError {
  return new RpcError("bad-request", `${path}: ${message}`);
}

function describeJs(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  return typeof v;
}

function hexOf(bytes: Uint8Array): string {
  return toHex(bytes);
}

function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Elements of a JS list: arrays, or typed arrays (list<u64> arrives as BigUint64Array). */
function jsList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return Array.from(v as unknown as ArrayLike<unknown>);
  }
  return undefined;
}

function integer(v: unknown, path: string, name: string, min: bigint, max: bigint): bigint {
  let n: bigint;
  if (typeof v === "bigint") n = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) n = BigInt(v);
  else throw bad(path, `expected ${name}, got ${describeJs(v)}`);
  if (n < min || n > max) throw bad(path, `${n} is out of range for ${name}`);
  return n;
}

/** JS value (jco shape) → JSON. Throws `bad-request` naming `path` when the value does not fit. */
export function encodeValue(t: WireType, v: unknown, path: string): JsonValue {
  switch (t) {
    case "unit":
      if (v !== undefined && v !== null) throw bad(path, `expected nothing, got ${describeJs(v)}`);
      return null;
    case "string":
      if (typeof v !== "string") throw bad(path, `expected string, got ${describeJs(v)}`);
      return v;
    case "u32":
      return integer(v, path, "u32", 0n, 0xffffffffn);
    case "u64":
      return integer(v, path, "u64", 0n, U64_MAX).toString();
    case "s64":
      return integer(v, path, "s64", S64_MIN, S64_MAX).toString();
    case "bytes": {
      // Byte lists from WIT are Uint8Arrays of another realm: no instanceof.
      if (!ArrayBuffer.isView(v) || (v as Uint8Array).BYTES_PER_ELEMENT !== 1) {
        throw bad(path, `expected bytes, got ${describeJs(v)}`);
      }
      return hexOf(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
    case "severity":
      if (typeof v !== "string" || !(SEVERITIES as readonly string[]).includes(v)) {
        throw bad(path, `expected a severity (${SEVERITIES.join(", ")})`);
      }
      return v;
  }
  if ("option" in t) return v === undefined || v === null ? null : encodeValue(t.option, v, path);
  if ("list" in t) {
    const items = jsList(v);
    if (items === undefined) throw bad(path, `expected list, got ${describeJs(v)}`);
    return items.map((x, i) => encodeValue(t.list, x, `${path}[${i}]`));
  }
  if ("tuple" in t) {
    const items = jsList(v);
    if (items === undefined || items.length !== t.tuple.length) {
      throw bad(path, `expected a tuple of ${t.tuple.length}`);
    }
    return t.tuple.map((et, i) => encodeValue(et, items[i], `${path}[${i}]`));
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw bad(path, `expected record, got ${describeJs(v)}`);
  }
  const rec = v as Record<string, unknown>;
  const out: JsonObject = {};
  for (const [key, ft] of t.record) out[key] = encodeValue(ft, rec[key], `${path}.${key}`);
  return out;
}

function wrong(path: string, expected: string, v: JsonValue): RpcError {
  return bad(path, `expected ${expected}, got ${jsonTypeName(v)}`);
}

/** JSON → JS value (jco shape). Strict; throws `bad-request` naming `path`. */
export function decodeValue(t: WireType, v: JsonValue, path: string): unknown {
  switch (t) {
    case "unit":
      if (v !== null) throw wrong(path, "null", v);
      return undefined;
    case "string":
      if (typeof v !== "string") throw wrong(path, "string", v);
      return v;
    case "u32":
      if (typeof v !== "bigint") throw wrong(path, "a u32 integer", v);
      if (v < 0n || v > 0xffffffffn) throw bad(path, `${v} is out of range for u32`);
      return Number(v);
    case "u64": {
      if (typeof v !== "string" || !U64_TEXT.test(v) || BigInt(v) > U64_MAX) {
        throw bad(path, "expected a decimal u64 string");
      }
      return BigInt(v);
    }
    case "s64": {
      if (typeof v !== "string" || !S64_TEXT.test(v))
        throw bad(path, "expected a decimal s64 string");
      const n = BigInt(v);
      if (n < S64_MIN || n > S64_MAX) throw bad(path, "expected a decimal s64 string");
      return n;
    }
    case "bytes":
      if (typeof v !== "string" || !HEX_TEXT.test(v)) {
        throw bad(path, "expected lowercase hex bytes");
      }
      return fromHex(v);
    case "severity":
      if (typeof v !== "string" || !(SEVERITIES as readonly string[]).includes(v)) {
        throw bad(path, `expected a severity (${SEVERITIES.join(", ")})`);
      }
      return v;
  }
  if ("option" in t) return v === null ? undefined : decodeValue(t.option, v, path);
  if ("list" in t) {
    if (!Array.isArray(v)) throw wrong(path, "array", v);
    return v.map((x, i) => decodeValue(t.list, x, `${path}[${i}]`));
  }
  if ("tuple" in t) {
    if (!Array.isArray(v) || v.length !== t.tuple.length) {
      throw bad(path, `expected an array of ${t.tuple.length}`);
    }
    return t.tuple.map((et, i) => decodeValue(et, v[i]!, `${path}[${i}]`));
  }
  return decodeFields(t.record, v, path);
}

/** A JSON object with exactly the fields named (an option field must be present, as null). */
export function decodeFields(
  fields: [string, WireType][],
  v: JsonValue,
  path: string,
): Record<string, unknown> {
  if (!isJsonObject(v)) throw wrong(path, "object", v);
  const known = new Set(fields.map(([k]) => k));
  for (const key of Object.keys(v)) {
    if (!known.has(key)) throw bad(`${path}.${key}`, "unknown field");
  }
  const out: Record<string, unknown> = {};
  for (const [key, ft] of fields) {
    if (!Object.hasOwn(v, key)) throw bad(`${path}.${key}`, "missing field");
    const x = decodeValue(ft, v[key]!, `${path}.${key}`);
    // jco leaves a `none` option field undefined; keep the key absent like it.
    if (x !== undefined) out[key] = x;
  }
  return out;
}
