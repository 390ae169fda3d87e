// The imports of the `secure-log:components/core` world as componentize-js
// binds them in the guest: calls are synchronous, a WIT `err` is thrown as an
// error whose `payload` is the err value, and list<u64> arrives as a
// BigUint64Array. Row types are the core's own (src/core/store.ts).

declare module "secure-log:log/store@0.1.0" {
  type Store = import("../../../src/core/store").Store;
  type Bound<F> = F extends (...args: infer A) => infer R ? (...args: A) => Awaited<R> : never;
  const store: { [K in Exclude<keyof Store, "secureLogSegmentEntrySeqnos">]: Bound<Store[K]> } & {
    secureLogSegmentEntrySeqnos(segmentId: bigint): BigUint64Array;
  };
  export = store;
}

declare module "keys:keystore/signer" {
  /** A key handle owned by the keystore component. */
  export class Key {
    private constructor();
    algorithm(): string;
    publicKey(): Uint8Array;
    sign(message: Uint8Array): Uint8Array;
  }
  export function getKey(label: string): Key;
}

declare module "wasi:cli/environment@0.2.12" {
  export function getEnvironment(): [string, string][];
}
