// The HTTP side of the server, independent of how requests arrive: route,
// authenticate, read the body within the limit, parse, dispatch, answer JSON.
// Every answer is an RpcResponse, errors included, with the status of its
// code. Each check stops the request, so one that fails never reaches the store.

import {
  errorResponse,
  parseRequest,
  RPC_HTTP_STATUS,
  RPC_VERSION,
  serializeResponse,
  type RpcErrorCode,
  type RpcResponse,
} from "../../../src/rpc/contract";
import { bearerToken, tokenMatches } from "./auth";
import { BodyTimeout, checkDeclaredLength, readLimited, utf8, type ChunkSource } from "./body";
import { ConfigError, readConfig, type ServerConfig } from "./config";
import { Dispatcher, type StoreFunctions } from "./dispatch";

export const RPC_PATH = "/rpc";

export interface HttpRequest {
  /** Upper case: "POST". */
  method: string;
  /** The path without the query. */
  path: string;
  /** A header's value (names lower case), undefined when absent. */
  header(name: string): string | undefined;
  /** The body's chunks, pulled one at a time, all within `timeoutSeconds`. */
  body(timeoutSeconds: number): ChunkSource;
}

export interface HttpResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

function json(body: RpcResponse, status: number, extra: [string, string][] = []): HttpResponse {
  return {
    status,
    headers: [["content-type", "application/json"], ["cache-control", "no-store"], ...extra],
    body: serializeResponse(body),
  };
}

function failure(
  code: RpcErrorCode,
  message: string,
  status = RPC_HTTP_STATUS[code],
  extra?: [string, string][],
): HttpResponse {
  return json({ v: RPC_VERSION, err: { code, message } }, status, extra);
}

export class RpcServer {
  #config: ServerConfig | ConfigError | undefined;
  #dispatcher: Dispatcher | undefined;

  constructor(
    private readonly environment: () => ReadonlyMap<string, string>,
    private readonly store: StoreFunctions,
  ) {}

  private config(): ServerConfig | ConfigError {
    if (this.#config === undefined) {
      try {
        this.#config = readConfig(this.environment());
      } catch (e) {
        this.#config = e instanceof ConfigError ? e : new ConfigError(String(e), { cause: e });
      }
    }
    return this.#config;
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    try {
      return await this.answer(request);
    } catch (e) {
      const res = errorResponse(e);
      const code = "err" in res ? res.err.code : "store";
      if (code === "store") console.error(`rpc-server: ${"err" in res ? res.err.message : ""}`);
      return json(res, e instanceof BodyTimeout ? 408 : RPC_HTTP_STATUS[code]);
    }
  }

  private async answer(request: HttpRequest): Promise<HttpResponse> {
    const config = this.config();
    if (config instanceof ConfigError) return failure("unauthorized", config.message, 503);

    if (request.path !== RPC_PATH) {
      const message = `no endpoint ${request.path}; the RPC endpoint is POST ${RPC_PATH}`;
      return failure("bad-request", message, 404);
    }
    if (request.method !== "POST") {
      const message = `${RPC_PATH} takes POST, not ${request.method}`;
      return failure("bad-request", message, 405, [["allow", "POST"]]);
    }
    if (config.token !== undefined) {
      const given = bearerToken(request.header("authorization"));
      if (given === undefined || !(await tokenMatches(given, config.token))) {
        return failure("unauthorized", "missing or wrong bearer token", 401, [
          ["www-authenticate", 'Bearer realm="secure-log"'],
        ]);
      }
    }

    checkDeclaredLength(request.header("content-length"), config.maxBody);
    const body = request.body(config.bodyTimeoutSeconds);
    const text = utf8(readLimited(body, config.maxBody));
    const req = parseRequest(text);
    this.#dispatcher ??= new Dispatcher(this.store, config.dbPath);
    const ok = await this.#dispatcher.call(req);
    return json({ v: RPC_VERSION, ok }, 200);
  }
}
