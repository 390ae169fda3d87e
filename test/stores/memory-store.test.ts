// MemoryStore: the store contract (store-contract.ts, shared with the SQLite
// store), plus what only the in-process store has, its raw tables for tamper tests.

import { beforeEach, describe, expect, it } from "vitest";
import { U64_MAX } from "../../src/core/model";
import { MemoryStore } from "../../src/stores/memory-store";
import { CLOCK, describeStoreContract, entry, segment } from "./store-contract";

describeStoreContract({ create: () => new MemoryStore(CLOCK), config: () => "mem" });

describe("MemoryStore only", () => {
  let store: MemoryStore;
  beforeEach(() => {
    store = new MemoryStore(CLOCK);
    store.init("mem");
  });

  it("ignores a caller's segment id and never reuses one after a rejected insert", () => {
    expect(store.secureLogSegmentInsert({ ...segment("a", 1n, 2n), segmentId: 9n }, [])).toBe(1n);
    const tables = store.rawTables();
    tables.segments.delete(1n);
    expect(store.secureLogSegmentInsert(segment("a", 1n, 2n), [[1n, 0n]])).toBe(2n);
    expect(() => store.secureLogSegmentInsert(segment("a", 1n, 2n), [[1n, 0n]])).toThrow();
    expect(store.secureLogSegmentInsert(segment("a", 3n, 3n), [])).toBe(3n);
  });

  it("replays a stored row without compare-and-append, refusing only a taken seqno", () => {
    // For a file store's replay and for states no writer can reach (a gap, u64 max).
    expect(store.replayEntry(entry(U64_MAX, "a", 9, 7))).toBe(U64_MAX);
    expect(store.replayEntry(entry(3n, "a", 3, 5))).toBe(3n);
    expect(() => store.replayEntry(entry(3n, "b"))).toThrow(/^duplicate seqno: 3$/);
    expect(() => store.replayEntry(entry(undefined))).toThrow(/requires row.seqno/);
    expect(store.secureLogRange("a", 0n, U64_MAX).map((r) => r.seqno)).toEqual([3n, U64_MAX]);
    expect(() => store.secureLogInsert(entry(4n, "b"))).toThrow(
      `conflict: seqno 4 is not the next seqno (${U64_MAX + 1n})`,
    );
  });

  describe("rawTables (tamper hook)", () => {
    it("exposes the live tables: edits bypass every rule", () => {
      store.secureLogInsert(entry(1n));
      store.secureLogInsert(entry(2n, "s", 2, 1));
      store.secureLogSegmentInsert(segment("s", 1n, 2n), [
        [1n, 0n],
        [2n, 1n],
      ]);
      const t = store.rawTables();
      t.entries.get(1n)!.payload[0] ^= 0xff;
      expect(store.secureLogGet(1n)!.payload[0]).toBe(1 ^ 0xff);
      // Swap two rows: each key keeps its seqno, the contents move.
      const [a, b] = [t.entries.get(1n)!, t.entries.get(2n)!];
      t.entries.set(1n, b);
      t.entries.set(2n, a);
      expect(store.secureLogRange("s", 1n, 2n).map((r) => [r.seqno, r.entryHash[0]])).toEqual([
        [1n, 2],
        [2n, 1],
      ]);
      // Reorder leaves, delete a membership and an entry.
      t.memberships.get(1n)!.leafIndex = 5n;
      expect(store.secureLogSegmentEntrySeqnos(1n)).toEqual([2n, 1n]);
      t.memberships.delete(2n);
      t.entries.delete(2n);
      expect(store.secureLogSegmentEntrySeqnos(1n)).toEqual([1n]);
      expect(store.secureLogGlobalHead()).toBe(1n);
      t.segments.get(1n)!.merkleRoot.fill(0);
      expect(store.secureLogSegmentGet(1n)!.merkleRoot).toEqual(new Uint8Array(32));
    });
  });
});
