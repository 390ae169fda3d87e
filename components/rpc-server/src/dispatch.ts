// One RPC call on the store: decode the params (strictly, before the store is
// touched, so a bad request changes nothing), call the store function, encode
// its result. The store is opened once, at the first call that needs it, with
// the server's own database path: a client's `init` only learns whether the
// store is open, it never chooses what the server opens.

import {
  decodeParams,
  encodeResult,
  RPC_VERSION,
  RpcError,
  storeFunctionName,
  type JsonValue,
  type RpcRequest,
  type StoreMethod,
} from "../../../src/rpc/contract";

/** The imported store by jco name; a WIT err is thrown with the store's message as `payload`. */
export type StoreFunctions = Readonly<Record<string, (...args: unknown[]) => unknown>>;

function errorMessage(e: unknown): string {
  const payload = (e as { payload?: unknown } | null)?.payload;
  if (typeof payload === "string") return payload;
  return e instanceof Error ? e.message : String(e);
}

export class Dispatcher {
  #opened = false;

  constructor(
    private readonly store: StoreFunctions,
    private readonly dbPath: string,
  ) {}

  private callStore(method: StoreMethod, args: unknown[]): unknown {
    const fn = this.store[storeFunctionName(method)];
    if (fn === undefined) throw new RpcError("unknown-method", `the store has no ${method}`);
    // A WIT err propagates as thrown; errorResponse makes it `conflict` or `store`.
    return fn(...args);
  }

  private open(): void {
    if (this.#opened) return;
    try {
      this.callStore("init", [this.dbPath]);
    } catch (e) {
      const message = errorMessage(e);
      throw new RpcError("store", `the server's store did not open: ${message}`, { cause: e });
    }
    this.#opened = true;
  }

  async call(req: RpcRequest): Promise<JsonValue> {
    // Throws unknown-method or bad-request before anything is called.
    const args = decodeParams(req.method, req.params);
    const method = req.method as StoreMethod;
    if (method === "hello") {
      if (args[0] !== RPC_VERSION) {
        throw new RpcError(
          "version",
          `server speaks rpc v${RPC_VERSION}, client v${String(args[0])}`,
        );
      }
      return encodeResult(method, { version: RPC_VERSION });
    }
    this.open();
    if (method === "init") return encodeResult(method, undefined);
    const value = await this.callStore(method, args);
    try {
      return encodeResult(method, value);
    } catch (e) {
      const message = errorMessage(e);
      throw new RpcError("store", `the store's answer does not fit ${method}: ${message}`, {
        cause: e,
      });
    }
  }
}
