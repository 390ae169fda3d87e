// The wire contract between store-remote (client) and rpc-server: one module
// used by both ends. A request is `{v, method, params}`, a response
// `{v, ok}` or `{v, err: {code, message}}`, both JSON. `method` is a store
// function's WIT name; params are a named object (WIT parameter names in
// camelCase) and the value types travel as described in ./codec.ts.
// See docs/design/rpc.md.

import { CONFLICT_PREFIX } from "../stores/append-rule";
import { isJsonObject, jsonTypeName, parseJson, type JsonValue } from "../core/json";
import { decodeFields, decodeValue, encodeValue } from "./codec";
import { RPC_ERROR_CODES, RpcError, type RpcErrorCode } from "./errors";
import { serializeJson } from "./json-text";
import { METHODS, STORE_METHODS, type StoreMethod } from "./methods";

export { RpcError, RPC_ERROR_CODES, type RpcErrorCode } from "./errors";
export { STORE_METHODS, type StoreMethod } from "./methods";
export { serializeJson } from "./json-text";
export type { JsonValue } from "../core/json";

/** Bumped on any incompatible change to the envelope or a method's shape. */
export const RPC_VERSION = 1;

/** Largest request or response body either end accepts (`too-large` beyond). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The HTTP status a server answers each error code with (transport-http). */
export const RPC_HTTP_STATUS: Readonly<Record<RpcErrorCode, number>> = {
  "bad-request": 400,
  unauthorized: 401,
  version: 400,
  store: 500,
  conflict: 409,
  "too-large": 413,
  // A method the server lacks is a malformed request; 404 means "no such path".
  "unknown-method": 400,
};

export type RpcRequest = { v: number; method: string; params: JsonValue };
export type RpcResponse =
  { v: number; ok: JsonValue } | { v: number; err: { code: RpcErrorCode; message: string } };

export function isStoreMethod(method: string): method is StoreMethod {
  return (STORE_METHODS as readonly string[]).includes(method);
}

function spec(method: string) {
  if (!isStoreMethod(method)) {
    throw new RpcError("unknown-method", `unknown method ${JSON.stringify(method)}`);
  }
  return METHODS[method];
}

/** The jco JS name of a store function: "secure-log-insert" → "secureLogInsert". */
export function storeFunctionName(method: StoreMethod): string {
  return method.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Positional JS arguments (jco shape) → the named params object. */
export function encodeParams(method: string, args: unknown[]): JsonValue {
  const s = spec(method);
  if (args.length > s.params.length) {
    throw new RpcError(
      "bad-request",
      `params: ${method} takes ${s.params.length} arguments, got ${args.length}`,
    );
  }
  const out: Record<string, JsonValue> = {};
  s.params.forEach(([name, t], i) => {
    out[name] = encodeValue(t, args[i], `params.${name}`);
  });
  return out;
}

/** The named params object → positional JS arguments (jco shape). Strict. */
export function decodeParams(method: string, json: JsonValue): unknown[] {
  const s = spec(method);
  const fields = decodeFields(s.params, json, "params");
  return s.params.map(([name]) => fields[name]);
}

export function encodeResult(method: string, value: unknown): JsonValue {
  return encodeValue(spec(method).result, value, "result");
}

export function decodeResult(method: string, json: JsonValue): unknown {
  return decodeValue(spec(method).result, json, "result");
}

function parseEnvelope(text: string, what: "request" | "response"): Record<string, JsonValue> {
  const v = parseJson(text, (m) => new RpcError("bad-request", `${what}: ${m}`));
  if (!isJsonObject(v)) {
    throw new RpcError("bad-request", `${what}: expected object, got ${jsonTypeName(v)}`);
  }
  return v;
}

function checkKeys(obj: Record<string, JsonValue>, keys: string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!keys.includes(key)) throw new RpcError("bad-request", `${where}.${key}: unknown field`);
  }
  for (const key of keys) {
    if (!Object.hasOwn(obj, key)) {
      throw new RpcError("bad-request", `${where}.${key}: missing field`);
    }
  }
}

function version(obj: Record<string, JsonValue>, where: string): number {
  const v = obj["v"];
  if (typeof v !== "bigint" || v < 0n || v > 0xffffffffn) {
    throw new RpcError("bad-request", `${where}.v: expected the rpc version as an integer`);
  }
  return Number(v);
}

/**
 * Parses and checks a request envelope: `version` when `v` is not ours,
 * `bad-request` when malformed. Params are left for decodeParams.
 */
export function parseRequest(text: string): RpcRequest {
  const obj = parseEnvelope(text, "request");
  const v = version(obj, "request");
  if (v !== RPC_VERSION) {
    throw new RpcError("version", `server speaks rpc v${RPC_VERSION}, request was v${v}`);
  }
  checkKeys(obj, ["v", "method", "params"], "request");
  const method = obj["method"]!;
  if (typeof method !== "string") {
    throw new RpcError(
      "bad-request",
      `request.method: expected string, got ${jsonTypeName(method)}`,
    );
  }
  return { v, method, params: obj["params"]! };
}

export function serializeRequest(req: RpcRequest): string {
  return serializeJson({ v: BigInt(req.v), method: req.method, params: req.params });
}

/** Parses a response envelope; `version` when the server speaks another version. */
export function parseResponse(text: string): RpcResponse {
  const obj = parseEnvelope(text, "response");
  const v = version(obj, "response");
  if (v !== RPC_VERSION) {
    throw new RpcError("version", `client speaks rpc v${RPC_VERSION}, response was v${v}`);
  }
  if (Object.hasOwn(obj, "ok")) {
    checkKeys(obj, ["v", "ok"], "response");
    return { v, ok: obj["ok"]! };
  }
  checkKeys(obj, ["v", "err"], "response");
  const err = obj["err"]!;
  if (!isJsonObject(err)) {
    throw new RpcError("bad-request", `response.err: expected object, got ${jsonTypeName(err)}`);
  }
  checkKeys(err, ["code", "message"], "response.err");
  const code = err["code"]!;
  const message = err["message"]!;
  if (typeof code !== "string" || !(RPC_ERROR_CODES as readonly string[]).includes(code)) {
    throw new RpcError(
      "bad-request",
      `response.err.code: expected one of ${RPC_ERROR_CODES.join(", ")}`,
    );
  }
  if (typeof message !== "string") {
    throw new RpcError(
      "bad-request",
      `response.err.message: expected string, got ${jsonTypeName(message)}`,
    );
  }
  return { v, err: { code: code as RpcErrorCode, message } };
}

export function serializeResponse(res: RpcResponse): string {
  if ("ok" in res) return serializeJson({ v: BigInt(res.v), ok: res.ok });
  return serializeJson({
    v: BigInt(res.v),
    err: { code: res.err.code, message: res.err.message },
  });
}

/**
 * The response for a failed call: an RpcError keeps its code; a store's
 * diagnostic is `conflict` when it starts "conflict: " (compare-and-append,
 * src/stores/append-rule.ts), else `store`. The message is passed on whole.
 */
export function errorResponse(e: unknown): RpcResponse {
  if (e instanceof RpcError) return { v: RPC_VERSION, err: { code: e.code, message: e.message } };
  // A store component's WIT err reaches JS as a ComponentError whose `payload` is the string.
  const payload = (e as { payload?: unknown } | null)?.payload;
  const message =
    typeof payload === "string"
      ? payload
      : e instanceof Error
        ? e.message
        : typeof e === "string"
          ? e
          : String(e);
  // A lost compare-and-append race keeps its own code, so the client can retry.
  const code = message.startsWith(CONFLICT_PREFIX) ? "conflict" : "store";
  return { v: RPC_VERSION, err: { code, message: message || "store call failed" } };
}
