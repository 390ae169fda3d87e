// What the store components' tests (store-file, store-sqlite) share: an
// instance of a built store component with the encoder import stubbed, the
// WIT `err` string of a failing call, an entry row whose severity and bytes
// exercise the WIT enum and list<u8> lowering, and the calls every store
// answers the same through its WIT interface.

import { expect } from "vitest";
import { U64_MAX } from "../../src/core/model";
import type { SecureLogRow } from "../../src/core/store";
import { entry, segment, type SyncStore } from "../stores/store-contract";
import { instantiateComponent } from "./harness";

/**
 * A fresh instance of the store component at `wasm`, its exported store.
 * secure-log:log/store `use`s encoder.{severity}, so a store component imports
 * the whole encoder interface (componentize-js binds every function of it);
 * the store never calls it, and these stand-ins only satisfy the link.
 */
export async function storeInstance(
  wasm: string,
  preopens: Record<string, string>,
  imports: Record<string, unknown> = {},
): Promise<SyncStore> {
  const refuse = () => {
    throw new Error("a store component does not encode");
  };
  const encoder = { encodeEntry: refuse, encodeCheckpoint: refuse, name: () => "unused" };
  const exports = await instantiateComponent<{ store: SyncStore }>(wasm, {
    preopens,
    imports: { "secure-log:log/encoder": encoder, ...imports },
  });
  return exports.store;
}

/** The WIT err string of a failing call (jco throws it as a ComponentError's payload). */
export function witErr(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    expect(e).toHaveProperty("payload");
    return (e as { payload: unknown }).payload;
  }
  throw new Error("expected the call to return err, and it returned ok");
}

/**
 * The contract's entry row, with a non-default severity and bytes 0, 1, 254,
 * 255; entry_hash 4s, prev_entry_hash zeros, or 4s with `linked` (after another
 * witEntry in the stream: compare-and-append).
 */
export function witEntry(seqno: bigint, streamId = "s", linked = false): SecureLogRow {
  return {
    ...entry(seqno, streamId),
    severity: "warning",
    payload: new Uint8Array([0, 1, 254, 255]),
    prevEntryHash: new Uint8Array(32).fill(linked ? 4 : 0),
    entryHash: new Uint8Array(32).fill(4),
  };
}

/**
 * On a new store: entries 1, 2 (stream "t") and 3, then a segment over 1 up to
 * `top`, the largest seqno the store holds, signed; each answer read back
 * through WIT. (Compare-and-append lets no entry reach `top`.)
 */
export function expectRoundTrip(store: SyncStore, top: bigint): void {
  expect(store.secureLogGlobalHead()).toBeUndefined();
  expect(store.secureLogInsert(witEntry(1n))).toBe(1n);
  expect(store.secureLogInsert(witEntry(2n, "t"))).toBe(2n);
  expect(store.secureLogInsert(witEntry(3n, "s", true))).toBe(3n);
  expect(store.secureLogGet(1n)).toEqual(witEntry(1n));
  expect(store.secureLogGet(top)).toBeUndefined();
  expect(store.secureLogRange("s", 0n, U64_MAX).map((r) => r.seqno)).toEqual([1n, 3n]);
  expect(store.secureLogHead("t")).toBe(2n);
  expect(store.secureLogLast("s")?.seqno).toBe(3n);
  const seg = segment("s", 1n, top);
  expect(store.secureLogSegmentInsert(seg, [[1n, 0n]])).toBe(1n);
  store.secureLogSegmentSetSignature(1n, new Uint8Array([9, 9]), "node-key");
  expect(store.secureLogSegmentGet(1n)).toEqual({
    ...seg,
    segmentId: 1n,
    signature: new Uint8Array([9, 9]),
    signerIdentity: "node-key",
  });
  expect([...store.secureLogSegmentEntrySeqnos(1n)]).toEqual([1n]);
  expect(store.secureLogSegmentForSeqno(1n)).toBe(1n);
}
