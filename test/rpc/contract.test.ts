// The wire contract (src/rpc/contract.ts): every store method's params and
// result survive the trip through JSON text exactly, decoding refuses anything
// else naming the field, and the envelopes carry the version.

import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { parseJson, type JsonValue } from "../../src/core/json";
import { U64_MAX } from "../../src/core/model";
import {
  decodeParams,
  decodeResult,
  encodeParams,
  encodeResult,
  errorResponse,
  parseRequest,
  parseResponse,
  RPC_VERSION,
  RpcError,
  serializeJson,
  serializeRequest,
  serializeResponse,
  STORE_METHODS,
  type StoreMethod,
} from "../../src/rpc/contract";
import { METHODS } from "../../src/rpc/methods";
import { entry, segment, witness } from "../stores/store-contract";

const S64_MIN = -(1n << 63n);
const BIG = new Uint8Array(1 << 20).map((_, i) => i & 0xff);

const row = { ...entry(U64_MAX), severity: "emergency" as const, payload: BIG };
const rowNoSeqno = { ...entry(undefined), payload: new Uint8Array() };
const seg = {
  ...segment("s", 0n, U64_MAX),
  segmentId: U64_MAX,
  signature: new Uint8Array([0, 255]),
  signerIdentity: "k",
};
const wit = { ...witness("s", "2026-01-01T00:00:00+00:00"), id: S64_MIN, segmentId: U64_MAX };
const stream = {
  name: "n",
  tier: "public",
  description: "d",
  createdAtRfc3339: "t",
  deprecatedAtRfc3339: "u",
};
const bareStream = { name: "n", tier: "public", createdAtRfc3339: "t" };

/** Arguments and results for every method, each exercising its edge values. */
const CASES: Record<StoreMethod, { args: unknown[][]; results: unknown[] }> = {
  hello: { args: [[1], [0xffffffff]], results: [{ version: 1 }] },
  init: { args: [["/data/log.db"], [""]], results: [undefined] },
  "secure-log-insert": { args: [[row], [rowNoSeqno]], results: [0n, U64_MAX] },
  "secure-log-global-head": { args: [[]], results: [undefined, 0n, U64_MAX] },
  "secure-log-get": { args: [[U64_MAX], [0n]], results: [undefined, row, rowNoSeqno] },
  "secure-log-range": { args: [["s", 0n, U64_MAX]], results: [[], [row, rowNoSeqno]] },
  "secure-log-head": { args: [['ünïcode "quoted"\n']], results: [undefined, U64_MAX] },
  "secure-log-last": { args: [["s"]], results: [undefined, row] },
  "secure-log-segment-insert": {
    args: [
      [
        seg,
        [
          [U64_MAX, 0n],
          [1n, U64_MAX],
        ],
      ],
      [segment("s", 1n, 2n), []],
    ],
    results: [U64_MAX],
  },
  "secure-log-segment-get": { args: [[1n]], results: [undefined, seg, segment("s", 1n, 2n)] },
  "secure-log-segments-list": { args: [["s"]], results: [[], [seg, segment("t", 3n, 4n)]] },
  "secure-log-segment-last-seqno": { args: [["s"]], results: [undefined, U64_MAX] },
  "secure-log-segment-entry-seqnos": { args: [[U64_MAX]], results: [[], [0n, U64_MAX]] },
  "secure-log-segment-for-seqno": { args: [[U64_MAX]], results: [undefined, 1n] },
  "secure-log-segment-set-signature": {
    args: [
      [1n, BIG, "signer"],
      [U64_MAX, new Uint8Array(), ""],
    ],
    results: [undefined],
  },
  "witness-log-insert": { args: [[wit], [witness("s", "t")]], results: [U64_MAX] },
  "witness-log-latest": {
    args: [["s"]],
    results: [undefined, wit, { ...wit, id: (1n << 63n) - 1n }],
  },
  "witness-log-list": { args: [["s"]], results: [[], [wit, witness("s", "t")]] },
  "witness-log-stream-ids": { args: [[]], results: [[], ["a", "b"]] },
  "witness-log-gc": {
    args: [
      [undefined, undefined, undefined],
      ["s", 0, "2026-01-01T00:00:00+00:00"],
      [undefined, 0xffffffff, undefined],
    ],
    results: [0, 0xffffffff],
  },
  "secure-log-stream-upsert": { args: [[stream], [bareStream]], results: [undefined] },
  "secure-log-stream-get": { args: [["n"]], results: [undefined, stream, bareStream] },
  "secure-log-stream-list": { args: [[]], results: [[], [stream, bareStream]] },
  "secure-log-stream-set-tier": { args: [["n", "protected"]], results: [undefined] },
  "secure-log-stream-deprecate": {
    args: [["n", "2026-01-01T00:00:00+00:00"]],
    results: [undefined],
  },
};

/** `value` through JSON text and back, as it travels. */
const overTheWire = (json: JsonValue) => parseJson(serializeJson(json));

/** The store functions of wit/store.wit, each with its parameter names. */
function witFunctions(): Map<string, string[]> {
  const wit = readFileSync(new URL("../../wit/store.wit", import.meta.url), "utf8");
  const store = wit.slice(wit.indexOf("interface store"), wit.indexOf("interface transport"));
  const out = new Map<string, string[]>();
  for (const m of store.matchAll(/([a-z0-9-]+):\s*func\(([^)]*)\)/g)) {
    const params = m[2]!
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p !== "")
      .map((p) => p.slice(0, p.indexOf(":")).trim());
    out.set(m[1]!, params);
  }
  return out;
}

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function rpcError(call: () => unknown): RpcError {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(RpcError);
    return e as RpcError;
  }
  throw new Error("expected an RpcError");
}

describe("the method table", () => {
  it("names every store function of wit/store.wit with its WIT parameters, plus hello", () => {
    const wit = witFunctions();
    expect([...STORE_METHODS].sort()).toEqual(["hello", ...wit.keys()].sort());
    for (const [name, params] of wit) {
      expect(
        METHODS[name as StoreMethod].params.map(([p]) => p),
        name,
      ).toEqual(params.map(camel));
    }
  });
});

describe.each(STORE_METHODS)("%s", (method) => {
  it("round-trips its params", () => {
    for (const args of CASES[method].args) {
      const text = serializeRequest({ v: RPC_VERSION, method, params: encodeParams(method, args) });
      const req = parseRequest(text);
      expect(req.method).toBe(method);
      expect(decodeParams(req.method, req.params)).toEqual(args);
    }
  });

  it("round-trips its results", () => {
    for (const value of CASES[method].results) {
      const text = serializeResponse({ v: RPC_VERSION, ok: encodeResult(method, value) });
      const res = parseResponse(text);
      if (!("ok" in res)) throw new Error("expected ok");
      expect(decodeResult(method, overTheWire(res.ok))).toEqual(value);
    }
  });
});

describe("the wire format", () => {
  it("writes u64 as decimal strings, bytes as lowercase hex, none as null", () => {
    const params = encodeParams("secure-log-segment-set-signature", [
      U64_MAX,
      new Uint8Array([0xab, 0x0c]),
      "k",
    ]);
    expect(serializeJson(params)).toBe(
      '{"segmentId":"18446744073709551615","signature":"ab0c","signerIdentity":"k"}',
    );
    expect(serializeJson(encodeParams("witness-log-gc", [undefined, 3, undefined]))).toBe(
      '{"streamId":null,"keepLatest":3,"olderThanRfc3339":null}',
    );
    expect(encodeResult("witness-log-insert", 5n)).toBe("5");
    expect(encodeResult("secure-log-global-head", undefined)).toBeNull();
  });

  it("takes list<u64> as a BigUint64Array and bytes from another realm", () => {
    const foreign = runInNewContext("new Uint8Array([1, 2, 255])") as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    expect(encodeParams("secure-log-segment-set-signature", [1n, foreign, "k"])).toMatchObject({
      signature: "0102ff",
    });
    expect(
      encodeResult("secure-log-segment-entry-seqnos", new BigUint64Array([1n, U64_MAX])),
    ).toEqual(["1", "18446744073709551615"]);
  });

  it("refuses JS values that do not fit, naming the field", () => {
    const cases: [() => unknown, string][] = [
      [() => encodeParams("secure-log-get", [-1n]), "params.seqno: -1 is out of range for u64"],
      [
        () => encodeParams("secure-log-get", [U64_MAX + 1n]),
        "params.seqno: 18446744073709551616 is out of range for u64",
      ],
      [() => encodeParams("secure-log-get", ["1"]), "params.seqno: expected u64, got string"],
      [
        () => encodeParams("secure-log-insert", [{ ...row, payload: [1, 2] }]),
        "params.row.payload: expected bytes, got array",
      ],
      [
        () => encodeParams("secure-log-insert", [{ ...row, severity: "loud" }]),
        "params.row.severity: expected a severity (emergency, alert, critical, error, warning, notice, info, debug)",
      ],
      [
        () => encodeParams("secure-log-head", ["s", "extra"]),
        "params: secure-log-head takes 1 arguments, got 2",
      ],
      [() => encodeResult("witness-log-gc", 2 ** 32), "result: 4294967296 is out of range for u32"],
      [() => encodeResult("secure-log-segment-insert", [1n]), "result: expected u64, got array"],
    ];
    for (const [call, message] of cases) {
      const e = rpcError(call);
      expect(e.code).toBe("bad-request");
      expect(e.message).toBe(message);
    }
  });
});

describe("strict decoding", () => {
  const rowJson = encodeParams("secure-log-insert", [row]) as { row: Record<string, JsonValue> };
  const withRow = (patch: Record<string, JsonValue>) => ({ row: { ...rowJson.row, ...patch } });

  it.each<[string, string, string]>([
    ["secure-log-get", '{"seqno":5}', "params.seqno: expected a decimal u64 string"],
    ["secure-log-get", '{"seqno":"05"}', "params.seqno: expected a decimal u64 string"],
    ["secure-log-get", '{"seqno":"-1"}', "params.seqno: expected a decimal u64 string"],
    ["secure-log-get", '{"seqno":"1e3"}', "params.seqno: expected a decimal u64 string"],
    ["secure-log-get", '{"seqno":" 1"}', "params.seqno: expected a decimal u64 string"],
    [
      "secure-log-get",
      '{"seqno":"18446744073709551616"}',
      "params.seqno: expected a decimal u64 string",
    ],
    ["secure-log-get", "{}", "params.seqno: missing field"],
    ["secure-log-get", '{"seqno":"1","extra":1}', "params.extra: unknown field"],
    ["secure-log-get", "[]", "params: expected object, got array"],
    ["secure-log-global-head", '{"x":null}', "params.x: unknown field"],
    [
      "secure-log-insert",
      serializeJson(withRow({ seqno: 1n })),
      "params.row.seqno: expected a decimal u64 string",
    ],
    [
      "secure-log-insert",
      serializeJson(withRow({ payload: "AB" })),
      "params.row.payload: expected lowercase hex bytes",
    ],
    [
      "secure-log-insert",
      serializeJson(withRow({ payload: "abc" })),
      "params.row.payload: expected lowercase hex bytes",
    ],
    [
      "secure-log-insert",
      serializeJson(withRow({ payload: null })),
      "params.row.payload: expected lowercase hex bytes",
    ],
    [
      "secure-log-insert",
      serializeJson(withRow({ severity: "INFO" })),
      "params.row.severity: expected a severity (emergency, alert, critical, error, warning, notice, info, debug)",
    ],
    [
      "secure-log-insert",
      serializeJson(withRow({ streamId: 1n })),
      "params.row.streamId: expected string, got integer",
    ],
    [
      "secure-log-insert",
      serializeJson(withRow({ color: "red" })),
      "params.row.color: unknown field",
    ],
    ["secure-log-insert", '{"row":null}', "params.row: expected object, got null"],
    [
      "secure-log-segment-insert",
      serializeJson({
        ...(encodeParams("secure-log-segment-insert", [seg, []]) as object),
        entries: [["1"]],
      }),
      "params.entries[0]: expected an array of 2",
    ],
    [
      "secure-log-segment-insert",
      serializeJson({
        ...(encodeParams("secure-log-segment-insert", [seg, []]) as object),
        entries: [
          ["1", "2"],
          ["3", 4n],
        ],
      }),
      "params.entries[1][1]: expected a decimal u64 string",
    ],
    [
      "witness-log-gc",
      '{"streamId":null,"keepLatest":4294967296,"olderThanRfc3339":null}',
      "params.keepLatest: 4294967296 is out of range for u32",
    ],
    [
      "witness-log-gc",
      '{"streamId":null,"keepLatest":"3","olderThanRfc3339":null}',
      "params.keepLatest: expected a u32 integer, got string",
    ],
    [
      "witness-log-gc",
      '{"streamId":null,"keepLatest":null}',
      "params.olderThanRfc3339: missing field",
    ],
    [
      "witness-log-insert",
      serializeJson({
        row: {
          ...(encodeParams("witness-log-insert", [wit]) as { row: object }).row,
          id: "-9223372036854775809",
        },
      }),
      "params.row.id: expected a decimal s64 string",
    ],
    [
      "witness-log-insert",
      serializeJson({
        row: { ...(encodeParams("witness-log-insert", [wit]) as { row: object }).row, id: "-0" },
      }),
      "params.row.id: expected a decimal s64 string",
    ],
  ])("%s %s", (method, params, message) => {
    const e = rpcError(() => decodeParams(method, parseJson(params)));
    expect(e.code).toBe("bad-request");
    expect(e.message).toBe(message);
  });

  it.each<[string, string, string]>([
    ["secure-log-insert", '"x"', "result: expected a decimal u64 string"],
    ["secure-log-global-head", "1", "result: expected a decimal u64 string"],
    ["init", '"done"', "result: expected null, got string"],
    ["witness-log-gc", "-1", "result: -1 is out of range for u32"],
    ["secure-log-segment-entry-seqnos", '["1",2]', "result[1]: expected a decimal u64 string"],
    [
      "secure-log-range",
      `[${serializeJson(rowJson.row)},{"seqno":null}]`,
      "result[1].streamId: missing field",
    ],
    [
      "secure-log-stream-get",
      '{"name":"n","tier":"t","createdAtRfc3339":"c","deprecatedAtRfc3339":null}',
      "result.description: missing field",
    ],
    ["hello", "{}", "result.version: missing field"],
  ])("result of %s: %s", (method, json, message) => {
    expect(rpcError(() => decodeResult(method, parseJson(json))).message).toBe(message);
  });

  it("refuses an unknown method", () => {
    for (const call of [
      () => decodeParams("drop-table", {}),
      () => encodeParams("drop-table", []),
    ]) {
      const e = rpcError(call);
      expect(e.code).toBe("unknown-method");
      expect(e.message).toBe('unknown method "drop-table"');
    }
  });
});

describe("envelopes", () => {
  it("refuses a request of another version with a clear message", () => {
    const e = rpcError(() =>
      parseRequest('{"v":2,"method":"secure-log-get","params":{"seqno":"1"}}'),
    );
    expect(e.code).toBe("version");
    expect(e.message).toBe("server speaks rpc v1, request was v2");
    expect(rpcError(() => parseRequest('{"v":2,"whatever":true}')).code).toBe("version");
    const r = rpcError(() => parseResponse('{"v":7,"ok":null}'));
    expect([r.code, r.message]).toEqual(["version", "client speaks rpc v1, response was v7"]);
  });

  it.each([
    ["", "request: malformed JSON at position 0: unexpected end of input"],
    ["[]", "request: expected object, got array"],
    ['{"method":"x","params":{}}', "request.v: expected the rpc version as an integer"],
    ['{"v":"1","method":"x","params":{}}', "request.v: expected the rpc version as an integer"],
    ['{"v":1,"params":{}}', "request.method: missing field"],
    ['{"v":1,"method":"x"}', "request.params: missing field"],
    ['{"v":1,"method":7,"params":{}}', "request.method: expected string, got integer"],
    ['{"v":1,"method":"x","params":{},"id":1}', "request.id: unknown field"],
    [
      '{"v":1,"method":"x","params":{}} x',
      "request: malformed JSON at position 33: trailing characters after the value",
    ],
  ])("refuses the request %j", (text, message) => {
    const e = rpcError(() => parseRequest(text));
    expect([e.code, e.message]).toEqual(["bad-request", message]);
  });

  it.each([
    ['{"v":1}', "response.err: missing field"],
    ['{"v":1,"ok":1,"err":null}', "response.err: unknown field"],
    ['{"v":1,"err":"boom"}', "response.err: expected object, got string"],
    [
      '{"v":1,"err":{"code":"boom","message":"m"}}',
      "response.err.code: expected one of bad-request, unauthorized, version, store, conflict, too-large, unknown-method",
    ],
    ['{"v":1,"err":{"code":"store"}}', "response.err.message: missing field"],
    [
      '{"v":1,"err":{"code":"store","message":1}}',
      "response.err.message: expected string, got integer",
    ],
  ])("refuses the response %j", (text, message) => {
    expect(rpcError(() => parseResponse(text)).message).toBe(message);
  });

  it("round-trips ok and err responses", () => {
    const ok = { v: 1, ok: { a: ["1", null, true] } };
    expect(parseResponse(serializeResponse(ok))).toEqual(ok);
    const err = {
      v: 1,
      err: { code: "conflict" as const, message: "conflict: seqno 3 is not the next seqno (2)" },
    };
    expect(parseResponse(serializeResponse(err))).toEqual(err);
  });

  it("answers a failure with its code: RpcError's own, conflict, else store", () => {
    expect(errorResponse(new RpcError("too-large", "body over 64 MiB"))).toEqual({
      v: 1,
      err: { code: "too-large", message: "body over 64 MiB" },
    });
    expect(errorResponse(new Error("conflict: seqno 3 is not the next seqno (2)"))).toMatchObject({
      err: { code: "conflict" },
    });
    expect(errorResponse({ payload: "segment 9 not found" })).toEqual({
      v: 1,
      err: { code: "store", message: "segment 9 not found" },
    });
    expect(errorResponse(new Error(""))).toEqual({
      v: 1,
      err: { code: "store", message: "store call failed" },
    });
  });
});
