// store-remote's logic in-process (components/store-remote/src/remote-store.ts)
// against the whole store contract, over the loopback server: the remote store
// answers every call as the store behind the server does, and its errors are the
// store's own text behind "remote: http 500: " (conflicts keep theirs whole, so
// the core still retries them).

import { MemoryStore } from "../../src/stores/memory-store";
import { remoteStore } from "../../components/store-remote/src/remote-store";
import { CLOCK, describeStoreContract, type SyncStore } from "../stores/store-contract";
import { loopbackRpc } from "./dispatch";

const STORE_ERROR = /^remote: http 500: /;

/** `store` with the prefix of a server-side store error taken off its messages. */
function unprefixed(store: SyncStore): SyncStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      const f = Reflect.get(target, name, receiver) as unknown;
      if (typeof f !== "function") return f;
      return (...args: unknown[]) => {
        try {
          return (f as (...a: unknown[]) => unknown).apply(target, args);
        } catch (e) {
          if (e instanceof Error && STORE_ERROR.test(e.message)) {
            throw new Error(e.message.replace(STORE_ERROR, ""), { cause: e });
          }
          throw e;
        }
      };
    },
  });
}

describeStoreContract({
  create: () => {
    const server = new MemoryStore(CLOCK);
    server.init("memory");
    return unprefixed(remoteStore(loopbackRpc(server)) as unknown as SyncStore);
  },
  config: () => "remote",
});
