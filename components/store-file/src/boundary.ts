// The one place store errors cross the component boundary. A componentize-js
// export whose WIT result is `result<T, string>` returns `err(payload)` when the
// thrown value has an own `payload` property; a thrown Error without one traps
// the component. So every call is wrapped and every failure rethrown with its
// message as the payload: the caller always gets the WIT `err` string.

import type { Store } from "../../../src/core/store";

const STORE_FUNCTIONS = [
  "init",
  "secureLogInsert",
  "secureLogGlobalHead",
  "secureLogGet",
  "secureLogRange",
  "secureLogHead",
  "secureLogLast",
  "secureLogSegmentInsert",
  "secureLogSegmentGet",
  "secureLogSegmentsList",
  "secureLogSegmentLastSeqno",
  "secureLogSegmentEntrySeqnos",
  "secureLogSegmentForSeqno",
  "secureLogSegmentSetSignature",
  "witnessLogInsert",
  "witnessLogLatest",
  "witnessLogList",
  "witnessLogStreamIds",
  "witnessLogGc",
  "secureLogStreamUpsert",
  "secureLogStreamGet",
  "secureLogStreamList",
  "secureLogStreamSetTier",
  "secureLogStreamDeprecate",
] as const satisfies readonly (keyof Store)[];

// Fails to compile when the store interface gains a function not listed above.
type Unlisted = Exclude<keyof Store, (typeof STORE_FUNCTIONS)[number]>;
const everyFunctionListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFunctionListed;

/** Thrown across the boundary: jco's export glue returns `payload` as the WIT err. */
export class StoreCallError extends Error {
  readonly payload: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreCallError";
    this.payload = message;
  }
}

export function toStoreCallError(e: unknown): StoreCallError {
  if (e instanceof StoreCallError) return e;
  const message = e instanceof Error ? e.message : typeof e === "string" ? e : String(e);
  return new StoreCallError(message === "" ? "store call failed" : message, { cause: e });
}

/** `store` with every function wrapped so failures reach the caller as the WIT err. */
export function exportStore(store: Store): Store {
  const wrapped: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of STORE_FUNCTIONS) {
    const fn = store[name] as (...args: unknown[]) => unknown;
    wrapped[name] = (...args) => {
      try {
        return fn.apply(store, args);
      } catch (e) {
        throw toStoreCallError(e);
      }
    };
  }
  return wrapped as unknown as Store;
}
