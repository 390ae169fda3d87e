// The store as calls over a transport: each function encodes its arguments
// with the shared contract (src/rpc/contract.ts), makes one `rpc` round trip
// and decodes the result. The transport is the only thing that knows where the
// server is; `init(config)` only checks that it speaks our RPC version (the
// server's database is the server's own setting, never the client's choice).

import { parseJson } from "../../../src/core/json";
import type { Store } from "../../../src/core/store";
import { CONFLICT_PREFIX } from "../../../src/stores/append-rule";
import {
  decodeResult,
  encodeParams,
  RPC_VERSION,
  RPC_HTTP_STATUS,
  RpcError,
  serializeJson,
  STORE_METHODS,
  storeFunctionName,
  type StoreMethod,
} from "../../../src/rpc/contract";

/** One round trip: the method's WIT name and params JSON in, the `ok` JSON out; throws the err string. */
export type Rpc = (method: string, paramsJson: string) => string;

/** Every failure leaves as this; its message is the store's WIT err string. */
export class RemoteStoreError extends Error {
  readonly payload: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RemoteStoreError";
    this.payload = message;
  }
}

/** The err string an import call threw (componentize-js throws the WIT err as `payload`). */
function errText(e: unknown): string {
  const payload = (e as { payload?: unknown } | null)?.payload;
  if (typeof payload === "string") return payload;
  if (e instanceof Error) return e.message;
  return typeof e === "string" ? e : String(e);
}

const CONFLICT_STATUS = `http ${RPC_HTTP_STATUS.conflict}: `;

/**
 * The store's err string for a transport err. A lost compare-and-append race
 * (the server's `conflict`, HTTP 409) keeps the store's own "conflict: …" text
 * so the core retries it (src/core/append-retry.ts); everything else is
 * "remote: …".
 */
export function storeErr(transportErr: string): string {
  if (!transportErr.startsWith(CONFLICT_STATUS)) return `remote: ${transportErr}`;
  const message = transportErr.slice(CONFLICT_STATUS.length);
  return message.startsWith(CONFLICT_PREFIX) ? message : `${CONFLICT_PREFIX}${message}`;
}

export function remoteStore(rpc: Rpc): Store {
  let ready = false;

  function call(method: StoreMethod, args: unknown[]): unknown {
    let paramsJson: string;
    try {
      paramsJson = serializeJson(encodeParams(method, args));
    } catch (e) {
      throw new RemoteStoreError(`remote: cannot send ${method}: ${errText(e)}`, { cause: e });
    }
    let resultJson: string;
    try {
      resultJson = rpc(method, paramsJson);
    } catch (e) {
      throw new RemoteStoreError(storeErr(errText(e)), { cause: e });
    }
    try {
      return decodeResult(
        method,
        parseJson(resultJson, (m) => new RpcError("bad-request", m)),
      );
    } catch (e) {
      throw new RemoteStoreError(`remote: malformed result of ${method}: ${errText(e)}`, {
        cause: e,
      });
    }
  }

  const store: Record<string, (...args: unknown[]) => unknown> = {
    init(config: unknown) {
      if (typeof config !== "string" || config === "") {
        throw new RemoteStoreError(
          "remote: store config must not be empty (any name for the remote store, e.g. " +
            "its URL; the transport has its own settings)",
        );
      }
      const hello = call("hello", [RPC_VERSION]) as { version: number };
      if (hello.version !== RPC_VERSION) {
        throw new RemoteStoreError(
          `remote: server speaks rpc v${hello.version}, this client v${RPC_VERSION}`,
        );
      }
      ready = true;
    },
  };
  for (const method of STORE_METHODS) {
    if (method === "hello" || method === "init") continue;
    store[storeFunctionName(method)] = (...args: unknown[]) => {
      if (!ready) throw new RemoteStoreError("remote: store not initialised: call init first");
      return call(method, args);
    };
  }
  return store as unknown as Store;
}
