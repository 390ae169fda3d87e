// MemoryStore's rules (the reference SQLite backend's ids, ordering, gc and
// error texts) as one suite any synchronous Store runs: memory-store.test.ts
// and sqlite-store.test.ts call `describeStoreContract` with their store.
// The rows and `dumpStore` are shared with the stores' own tests.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { U64_MAX } from "../../src/core/model";
import type { SecureLogRow, SecureLogSegmentRow, Store, WitnessLogRow } from "../../src/core/store";

/** A Store whose calls return their results directly. */
export type SyncStore = {
  [K in keyof Store]: (...a: Parameters<Store[K]>) => Awaited<ReturnType<Store[K]>>;
};

/** The clock every contract store is created with (the default stream's created-at). */
export const CLOCK = () => new Date("2026-01-02T03:04:05Z");

/**
 * An entry row: payload `fill, fill`, entry_hash 32 × `fill`, prev_entry_hash
 * 32 × `prevFill` (0: the zero hash a stream's first entry carries). Stores
 * accept a row only by compare-and-append: its seqno the next global one, its
 * prev_entry_hash its stream's last entry_hash — so entry(1n), then
 * entry(2n, "s", 2, 1) (prev = entry 1's hash). `chain` and `nextEntry` build
 * such rows.
 */
export function entry(
  seqno: bigint | undefined,
  streamId = "s",
  fill = 1,
  prevFill = 0,
): SecureLogRow {
  return {
    seqno,
    streamId,
    sessionId: "sess",
    bootId: "boot",
    timestampRfc3339: "2026-01-01T00:00:00+00:00",
    eventType: "ev",
    severity: "info",
    producer: "p",
    payloadEncoding: "cbor",
    payload: new Uint8Array([fill, fill]),
    prevEntryHash: new Uint8Array(32).fill(prevFill),
    entryHash: new Uint8Array(32).fill(fill),
  };
}

/**
 * Rows a new store accepts in order: seqnos 1, 2, … in the given streams, each
 * with fill = seqno mod 256 and prev = its stream's previous row's hash.
 */
export function chain(streams: readonly string[]): SecureLogRow[] {
  const lastFill = new Map<string, number>();
  return streams.map((streamId, i) => {
    const fill = (i + 1) % 256;
    const row = entry(BigInt(i + 1), streamId, fill, lastFill.get(streamId) ?? 0);
    lastFill.set(streamId, fill);
    return row;
  });
}

/** The row `store` accepts next in `streamId`: the next seqno, prev = the stream's last hash. */
export function nextEntry(store: SyncStore, streamId = "s", fill = 1): SecureLogRow {
  const seqno = (store.secureLogGlobalHead() ?? 0n) + 1n;
  const last = store.secureLogLast(streamId);
  return { ...entry(seqno, streamId, fill), prevEntryHash: last?.entryHash ?? new Uint8Array(32) };
}

export function segment(streamId: string, seqStart: bigint, seqEnd: bigint): SecureLogSegmentRow {
  return {
    streamId,
    seqStart,
    seqEnd,
    merkleRoot: new Uint8Array(32).fill(7),
    lastEntryHash: new Uint8Array(32).fill(8),
    prevCheckpointHash: new Uint8Array(32),
    closedAtRfc3339: "2026-01-01T00:00:00+00:00",
  };
}

export function witness(streamId: string, receivedAtRfc3339: string): WitnessLogRow {
  return {
    streamId,
    segmentId: 1n,
    seqStart: 1n,
    seqEnd: 2n,
    checkpointHashHex: "ab",
    signatureHex: "cd",
    signerIdentity: "w",
    receivedAtRfc3339,
  };
}

/** The witness rows the gc cases start from: ids 1-3 in stream "a" (days 1-3), 4 in "b" (day 1). */
export function insertGcWitnesses(store: SyncStore): void {
  store.witnessLogInsert(witness("a", "2026-01-01T00:00:00+00:00")); // 1
  store.witnessLogInsert(witness("a", "2026-01-02T00:00:00+00:00")); // 2
  store.witnessLogInsert(witness("a", "2026-01-03T00:00:00+00:00")); // 3
  store.witnessLogInsert(witness("b", "2026-01-01T00:00:00+00:00")); // 4
}

const NAMES = [
  "a",
  "b",
  "c",
  "s",
  "t",
  "x",
  "y",
  "other",
  "none",
  "default",
  "alpha",
  "Beta",
  "zeta",
];

/** Everything the store answers through its public functions, for comparing two stores. */
export function dumpStore(s: SyncStore) {
  const streams = s.secureLogStreamList();
  const witnessStreams = s.witnessLogStreamIds();
  const names = [...new Set([...NAMES, ...streams.map((r) => r.name), ...witnessStreams])];
  return {
    globalHead: s.secureLogGlobalHead(),
    streams,
    witnessStreams,
    byStream: names.map((n) => ({
      n,
      entries: s.secureLogRange(n, 0n, U64_MAX),
      head: s.secureLogHead(n),
      last: s.secureLogLast(n),
      segments: s.secureLogSegmentsList(n).map((seg) => ({
        seg,
        members: [...s.secureLogSegmentEntrySeqnos(seg.segmentId!)].map((seqno) => ({
          seqno,
          owner: s.secureLogSegmentForSeqno(seqno),
        })),
      })),
      lastSealed: s.secureLogSegmentLastSeqno(n),
      witness: s.witnessLogList(n),
      latestWitness: s.witnessLogLatest(n),
    })),
  };
}

export interface StoreSubject {
  /** A new store, not initialised, with CLOCK as its clock. */
  create(): SyncStore;
  /** The config each test initialises its store with (the same for the whole test). */
  config(): string;
  /** After each test, with the store it used: check what persists, release it. */
  release?(store: SyncStore): void;
}

export function describeStoreContract(subject: StoreSubject): void {
  let store: SyncStore;
  beforeEach(() => {
    store = subject.create();
    store.init(subject.config());
  });
  afterEach(() => subject.release?.(store));

  describe("init", () => {
    it("rejects an empty config", () => {
      expect(() => subject.create().init("")).toThrow("store config must not be empty");
    });

    it("refuses every other call before init", () => {
      const fresh = subject.create();
      const calls: (() => unknown)[] = [
        () => fresh.secureLogInsert(entry(1n)),
        () => fresh.secureLogGlobalHead(),
        () => fresh.secureLogGet(1n),
        () => fresh.secureLogRange("s", 1n, 2n),
        () => fresh.secureLogHead("s"),
        () => fresh.secureLogLast("s"),
        () => fresh.secureLogSegmentInsert(segment("s", 1n, 1n), []),
        () => fresh.secureLogSegmentGet(1n),
        () => fresh.secureLogSegmentsList("s"),
        () => fresh.secureLogSegmentLastSeqno("s"),
        () => fresh.secureLogSegmentEntrySeqnos(1n),
        () => fresh.secureLogSegmentForSeqno(1n),
        () => fresh.secureLogSegmentSetSignature(1n, new Uint8Array(1), "k"),
        () => fresh.witnessLogInsert(witness("s", "t")),
        () => fresh.witnessLogLatest("s"),
        () => fresh.witnessLogList("s"),
        () => fresh.witnessLogStreamIds(),
        () => fresh.witnessLogGc(undefined, 1, undefined),
        () => fresh.secureLogStreamUpsert({ name: "x", tier: "public", createdAtRfc3339: "t" }),
        () => fresh.secureLogStreamGet("default"),
        () => fresh.secureLogStreamList(),
        () => fresh.secureLogStreamSetTier("default", "public"),
        () => fresh.secureLogStreamDeprecate("default", "t"),
      ];
      expect(calls).toHaveLength(23);
      for (const call of calls) expect(call).toThrow("store not initialised: call init first");
      expect(() => fresh.init("")).toThrow();
      expect(() => fresh.secureLogGlobalHead()).toThrow("store not initialised");
    });

    it("creates the default stream, once", () => {
      const expected = {
        name: "default",
        tier: "public",
        description: "Default stream created automatically at init.",
        createdAtRfc3339: "2026-01-02T03:04:05+00:00",
      };
      expect(store.secureLogStreamList()).toEqual([expected]);
      store.secureLogStreamSetTier("default", "protected");
      store.init(subject.config());
      expect(store.secureLogStreamList()).toEqual([{ ...expected, tier: "protected" }]);
    });
  });

  describe("entries", () => {
    it("requires a seqno and rejects a reused one", () => {
      expect(() => store.secureLogInsert(entry(undefined))).toThrow(/seqno/);
      expect(store.secureLogInsert(entry(1n))).toBe(1n);
      expect(() => store.secureLogInsert(entry(1n, "other"))).toThrow(
        /^conflict: seqno 1 is not the next seqno \(2\)$/,
      );
      expect(store.secureLogGet(1n)?.streamId).toBe("s");
    });

    it("answers global head, get, range, head and last", () => {
      expect(store.secureLogGlobalHead()).toBeUndefined();
      expect(store.secureLogHead("a")).toBeUndefined();
      expect(store.secureLogLast("a")).toBeUndefined();
      expect(store.secureLogGet(1n)).toBeUndefined();
      // Seqnos 1, 3, 5 in "a" and 2, 4 in "b" (compare-and-append: in order only).
      const rows = chain(["a", "b", "a", "b", "a"]);
      for (const row of rows) expect(store.secureLogInsert(row)).toBe(row.seqno);
      expect(store.secureLogGlobalHead()).toBe(5n);
      expect(store.secureLogHead("a")).toBe(5n);
      expect(store.secureLogHead("b")).toBe(4n);
      expect(store.secureLogLast("b")).toEqual(rows[3]);
      expect(store.secureLogGet(2n)).toEqual(rows[1]);
      expect(store.secureLogRange("a", 1n, 5n).map((r) => r.seqno)).toEqual([1n, 3n, 5n]);
      expect(store.secureLogRange("a", 2n, 4n).map((r) => r.seqno)).toEqual([3n]);
      expect(store.secureLogRange("a", 3n, 3n).map((r) => r.seqno)).toEqual([3n]);
      expect(store.secureLogRange("a", 4n, 2n)).toEqual([]);
      expect(store.secureLogRange("nope", 0n, 99n)).toEqual([]);
    });

    describe("compare-and-append: the next seqno, linked to its stream's last entry", () => {
      // Seqnos 1-3 in "a" (hashes 1, 2, 3), 4 in "b" (hash 4).
      const rows = chain(["a", "a", "a", "b"]);
      beforeEach(() => {
        for (const row of rows) store.secureLogInsert(row);
      });

      /** `row` is refused with `message`, and the store answers as before. */
      function refused(row: SecureLogRow, message: string): void {
        const before = dumpStore(store);
        expect(() => store.secureLogInsert(row)).toThrow(
          expect.objectContaining({ message }) as Error,
        );
        expect(dumpStore(store)).toEqual(before);
      }

      it("refuses a seqno past the next one (a gap)", () => {
        refused(entry(6n, "a", 6, 3), "conflict: seqno 6 is not the next seqno (5)");
        refused(entry(1000n, "c"), "conflict: seqno 1000 is not the next seqno (5)");
      });

      it("refuses a seqno already used, in the same stream or another", () => {
        refused(entry(4n, "a", 9, 3), "conflict: seqno 4 is not the next seqno (5)");
        refused(entry(2n, "c"), "conflict: seqno 2 is not the next seqno (5)");
        refused(entry(0n, "c"), "conflict: seqno 0 is not the next seqno (5)");
      });

      it("refuses a prev_entry_hash that is not the stream's last entry_hash", () => {
        const head = "conflict: prev_entry_hash does not match the head of stream";
        refused(entry(5n, "a", 5, 2), `${head} 'a' (seqno 3)`);
        refused(entry(5n, "a", 5, 4), `${head} 'a' (seqno 3)`);
        refused(entry(5n, "a", 5, 0), `${head} 'a' (seqno 3)`);
        refused(entry(5n, "b", 5, 3), `${head} 'b' (seqno 4)`);
        const short = { ...entry(5n, "a", 5), prevEntryHash: new Uint8Array(31).fill(3) };
        refused(short, `${head} 'a' (seqno 3)`);
      });

      it("refuses a stream's first entry unless its prev_entry_hash is 32 zero bytes", () => {
        const first =
          "conflict: prev_entry_hash of the first entry of stream 'c' must be 32 zero bytes";
        refused(entry(5n, "c", 5, 4), first);
        refused({ ...entry(5n, "c", 5), prevEntryHash: new Uint8Array(0) }, first);
      });

      it("accepts the next entry, then refuses the same seqno again", () => {
        expect(store.secureLogInsert(entry(5n, "a", 5, 3))).toBe(5n);
        expect(store.secureLogInsert(entry(6n, "c", 6))).toBe(6n);
        expect(store.secureLogInsert(entry(7n, "b", 7, 4))).toBe(7n);
        expect(store.secureLogLast("a")).toEqual(entry(5n, "a", 5, 3));
        expect(store.secureLogRange("a", 0n, U64_MAX).map((r) => r.seqno)).toEqual([
          1n,
          2n,
          3n,
          5n,
        ]);
        refused(entry(7n, "b", 7, 4), "conflict: seqno 7 is not the next seqno (8)");
        expect(store.secureLogInsert(nextEntry(store, "a", 8))).toBe(8n);
      });
    });

    it("copies rows on insert and on read", () => {
      const row = entry(1n);
      store.secureLogInsert(row);
      row.payload[0] = 99;
      row.entryHash[0] = 99;
      row.streamId = "mutated";
      const got = store.secureLogGet(1n);
      expect(got).toEqual(entry(1n));
      got!.payload[0] = 42;
      got!.prevEntryHash[0] = 42;
      got!.eventType = "mutated";
      store.secureLogLast("s")!.entryHash.fill(0);
      store.secureLogRange("s", 1n, 1n)[0]!.payload.fill(0);
      expect(store.secureLogGet(1n)).toEqual(entry(1n));
    });
  });

  describe("segments", () => {
    it("assigns ids 1, 2, 3 across streams and lists by id", () => {
      store.secureLogInsert(entry(1n, "a"));
      expect(store.secureLogSegmentInsert(segment("a", 1n, 1n), [[1n, 0n]])).toBe(1n);
      expect(store.secureLogSegmentInsert(segment("b", 2n, 3n), [])).toBe(2n);
      expect(store.secureLogSegmentInsert(segment("a", 4n, 6n), [])).toBe(3n);
      expect(store.secureLogSegmentsList("a").map((s) => s.segmentId)).toEqual([1n, 3n]);
      expect(store.secureLogSegmentsList("b")).toEqual([
        { ...segment("b", 2n, 3n), segmentId: 2n },
      ]);
      expect(store.secureLogSegmentsList("c")).toEqual([]);
      expect(store.secureLogSegmentGet(3n)).toEqual({ ...segment("a", 4n, 6n), segmentId: 3n });
      expect(store.secureLogSegmentGet(4n)).toBeUndefined();
    });

    it("records memberships, in leaf order, one segment per seqno", () => {
      const id = store.secureLogSegmentInsert(segment("a", 10n, 12n), [
        [12n, 2n],
        [10n, 0n],
        [11n, 1n],
      ]);
      expect(store.secureLogSegmentEntrySeqnos(id)).toEqual([10n, 11n, 12n]);
      expect(store.secureLogSegmentEntrySeqnos(99n)).toEqual([]);
      expect(store.secureLogSegmentForSeqno(11n)).toBe(id);
      expect(store.secureLogSegmentForSeqno(13n)).toBeUndefined();
      expect(() =>
        store.secureLogSegmentInsert(segment("a", 12n, 13n), [
          [13n, 0n],
          [12n, 1n],
        ]),
      ).toThrow(/seqno 12 already belongs to segment 1/);
      // The rejected insert left nothing behind.
      expect(store.secureLogSegmentsList("a")).toHaveLength(1);
      expect(store.secureLogSegmentForSeqno(13n)).toBeUndefined();
      expect(() =>
        store.secureLogSegmentInsert(segment("a", 20n, 20n), [
          [20n, 0n],
          [20n, 1n],
        ]),
      ).toThrow(/seqno 20/);
      expect(store.secureLogSegmentInsert(segment("a", 13n, 13n), [[13n, 0n]])).toBe(2n);
    });

    it("reports the last sealed seqno of a stream", () => {
      expect(store.secureLogSegmentLastSeqno("a")).toBeUndefined();
      store.secureLogSegmentInsert(segment("a", 1n, 4n), []);
      store.secureLogSegmentInsert(segment("b", 5n, 9n), []);
      store.secureLogSegmentInsert(segment("a", 10n, 12n), []);
      expect(store.secureLogSegmentLastSeqno("a")).toBe(12n);
      expect(store.secureLogSegmentLastSeqno("b")).toBe(9n);
    });

    it("sets a signature, or says which segment is missing", () => {
      const id = store.secureLogSegmentInsert(segment("a", 1n, 1n), []);
      expect(store.secureLogSegmentGet(id)?.signature).toBeUndefined();
      const sig = new Uint8Array([1, 2, 3]);
      store.secureLogSegmentSetSignature(id, sig, "key-1");
      sig[0] = 9;
      const got = store.secureLogSegmentGet(id)!;
      expect(got.signature).toEqual(new Uint8Array([1, 2, 3]));
      expect(got.signerIdentity).toBe("key-1");
      expect(() => store.secureLogSegmentSetSignature(7n, sig, "k")).toThrow(
        /^segment not found: 7$/,
      );
    });

    it("copies rows on insert and on read", () => {
      const row = { ...segment("a", 1n, 2n), signature: new Uint8Array([5]) };
      const id = store.secureLogSegmentInsert(row, []);
      row.merkleRoot.fill(0);
      row.signature[0] = 6;
      const got = store.secureLogSegmentGet(id)!;
      got.merkleRoot.fill(1);
      got.signature![0] = 7;
      store.secureLogSegmentsList("a")[0]!.lastEntryHash.fill(0);
      expect(store.secureLogSegmentGet(id)).toEqual({
        ...segment("a", 1n, 2n),
        signature: new Uint8Array([5]),
        segmentId: id,
      });
    });
  });

  describe("witness log", () => {
    it("assigns ids and answers latest, list and stream ids", () => {
      expect(store.witnessLogLatest("a")).toBeUndefined();
      expect(store.witnessLogStreamIds()).toEqual([]);
      expect(store.witnessLogInsert({ ...witness("b", "t1"), id: 50n })).toBe(1n);
      expect(store.witnessLogInsert(witness("a", "t2"))).toBe(2n);
      expect(store.witnessLogInsert(witness("b", "t3"))).toBe(3n);
      expect(store.witnessLogLatest("b")).toEqual({ ...witness("b", "t3"), id: 3n });
      expect(store.witnessLogList("b").map((r) => r.id)).toEqual([1n, 3n]);
      expect(store.witnessLogStreamIds()).toEqual(["a", "b"]);
      const got = store.witnessLogList("a")[0]!;
      got.signatureHex = "mutated";
      expect(store.witnessLogLatest("a")?.signatureHex).toBe("cd");
    });

    describe("gc", () => {
      beforeEach(() => insertGcWitnesses(store));
      const ids = (s: string) => store.witnessLogList(s).map((r) => r.id);

      it("keeps the newest 1 of 3", () => {
        expect(store.witnessLogGc("a", 1, undefined)).toBe(2);
        expect(ids("a")).toEqual([3n]);
        expect(ids("b")).toEqual([4n]);
      });

      it("deletes rows older than a cutoff (string comparison)", () => {
        expect(store.witnessLogGc("a", undefined, "2026-01-02T00:00:00+00:00")).toBe(1);
        expect(ids("a")).toEqual([2n, 3n]);
      });

      it("combines keep-latest with a cutoff", () => {
        expect(store.witnessLogGc("a", 2, "2026-01-09T00:00:00+00:00")).toBe(1);
        expect(ids("a")).toEqual([2n, 3n]);
        expect(store.witnessLogGc("a", 1, "2026-01-02T12:00:00+00:00")).toBe(1);
        expect(ids("a")).toEqual([3n]);
      });

      it("deletes nothing without keep-latest or cutoff", () => {
        expect(store.witnessLogGc("a", undefined, undefined)).toBe(0);
        expect(store.witnessLogGc(undefined, undefined, undefined)).toBe(0);
        expect(store.witnessLogGc(undefined, 0, undefined)).toBe(0);
        expect(ids("a")).toHaveLength(3);
      });

      it("keep-latest 0 with a cutoff deletes every older row", () => {
        expect(store.witnessLogGc("a", 0, "2026-01-03T00:00:00+00:00")).toBe(2);
        expect(ids("a")).toEqual([3n]);
      });

      it("runs over every stream when none is given", () => {
        expect(store.witnessLogGc(undefined, 1, undefined)).toBe(2);
        expect(ids("a")).toEqual([3n]);
        expect(ids("b")).toEqual([4n]);
        expect(store.witnessLogGc(undefined, undefined, "2027")).toBe(2);
        expect(store.witnessLogStreamIds()).toEqual([]);
      });

      it("touches only the named stream, and a stream without rows deletes 0", () => {
        expect(store.witnessLogGc("b", undefined, "2027")).toBe(1);
        expect(ids("a")).toHaveLength(3);
        expect(store.witnessLogGc("none", 0, "2027")).toBe(0);
      });
    });
  });

  describe("streams", () => {
    it("upserts: inserts, then updates tier, description and deprecation, keeping created-at", () => {
      store.secureLogStreamUpsert({
        name: "app",
        tier: "protected",
        description: "first",
        createdAtRfc3339: "c1",
      });
      expect(store.secureLogStreamGet("app")).toEqual({
        name: "app",
        tier: "protected",
        description: "first",
        createdAtRfc3339: "c1",
      });
      store.secureLogStreamUpsert({
        name: "app",
        tier: "public",
        createdAtRfc3339: "c2",
        deprecatedAtRfc3339: "d",
      });
      const got = store.secureLogStreamGet("app")!;
      expect(got).toMatchObject({
        tier: "public",
        createdAtRfc3339: "c1",
        deprecatedAtRfc3339: "d",
      });
      expect(got.description).toBeUndefined();
      expect(store.secureLogStreamGet("nope")).toBeUndefined();
    });

    it("lists by name, as the reference (ORDER BY name)", () => {
      for (const name of ["zeta", "alpha", "Beta"]) {
        store.secureLogStreamUpsert({ name, tier: "public", createdAtRfc3339: "c" });
      }
      expect(store.secureLogStreamList().map((s) => s.name)).toEqual([
        "Beta",
        "alpha",
        "default",
        "zeta",
      ]);
    });

    it("sets tier and deprecates, or names the missing stream", () => {
      store.secureLogStreamSetTier("default", "highly-restricted");
      store.secureLogStreamDeprecate("default", "2026-02-01T00:00:00+00:00");
      expect(store.secureLogStreamGet("default")).toMatchObject({
        tier: "highly-restricted",
        deprecatedAtRfc3339: "2026-02-01T00:00:00+00:00",
      });
      expect(() => store.secureLogStreamSetTier("ghost", "public")).toThrow(
        /^stream not found: ghost$/,
      );
      expect(() => store.secureLogStreamDeprecate("ghost", "t")).toThrow(
        /^stream not found: ghost$/,
      );
    });

    it("copies rows", () => {
      const row = { name: "x", tier: "public", createdAtRfc3339: "c" };
      store.secureLogStreamUpsert(row);
      row.tier = "mutated";
      store.secureLogStreamGet("x")!.tier = "mutated";
      store.secureLogStreamList()[0]!.tier = "mutated";
      expect(store.secureLogStreamGet("x")?.tier).toBe("public");
    });
  });
}
