// An in-process server for the wire contract: what rpc-server does over HTTP,
// minus HTTP. A request goes through every step the real one does (envelope
// out and back, params decoded, the store called, the result encoded, the
// response envelope out and back), so store-remote's tests exercise the whole
// contract without a network.

import { parseJson } from "../../src/core/json";
import type { Store } from "../../src/core/store";
import {
  decodeParams,
  encodeResult,
  errorResponse,
  parseRequest,
  parseResponse,
  RPC_HTTP_STATUS,
  RPC_VERSION,
  RpcError,
  serializeJson,
  serializeRequest,
  serializeResponse,
  storeFunctionName,
  type RpcResponse,
} from "../../src/rpc/contract";

/** The server side of one request text → response text. */
export function serve(store: Store, requestText: string): string {
  let res: RpcResponse;
  try {
    const req = parseRequest(requestText);
    const args = decodeParams(req.method, req.params);
    let value: unknown;
    if (req.method === "hello") value = { version: RPC_VERSION };
    else if (req.method === "init") throw new RpcError("bad-request", "init is the server's own");
    else {
      const fn = (store as unknown as Record<string, (...a: unknown[]) => unknown>)[
        storeFunctionName(req.method as Parameters<typeof storeFunctionName>[0])
      ]!;
      value = fn.apply(store, args);
    }
    res = { v: RPC_VERSION, ok: encodeResult(req.method, value) };
  } catch (e) {
    res = errorResponse(e);
  }
  return serializeResponse(res);
}

/**
 * A `transport.rpc` over `serve`: params JSON in, `ok` JSON out, an `err`
 * thrown as `{ payload }` (jco's convention for an import's WIT err) in
 * transport-http's words ("http 409: conflict: …").
 */
export function loopbackRpc(
  store: Store,
  tap: (request: string, response: string) => string = (_, r) => r,
) {
  return (method: string, paramsJson: string): string => {
    const request = serializeRequest({ v: RPC_VERSION, method, params: parseJson(paramsJson) });
    const res = parseResponse(tap(request, serve(store, request)));
    if ("ok" in res) return serializeJson(res.ok);
    throw { payload: `http ${RPC_HTTP_STATUS[res.err.code]}: ${res.err.message}` };
  };
}
