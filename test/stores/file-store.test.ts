// FileStore keeps MemoryStore's rules (the cases of memory-store.test.ts, run
// here against the file store) and every case's state survives a reopen: after
// each test a new instance opens the same file and must see the same state.
// A seeded differential run then drives both stores with the same random writes.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { U64_MAX } from "../../src/core/model";
import type {
  SecureLogRow,
  SecureLogSegmentRow,
  SegmentEntry,
  WitnessLogRow,
} from "../../src/core/store";
import { NodeFileSystem } from "../../src/node/node-file-system";
import { FileStore } from "../../src/stores/file/file-store";
import { MemoryStore } from "../../src/stores/memory-store";

const CLOCK = () => new Date("2026-01-02T03:04:05Z");

function entry(seqno: bigint | undefined, streamId = "s", fill = 1): SecureLogRow {
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
    prevEntryHash: new Uint8Array(32),
    entryHash: new Uint8Array(32).fill(fill),
  };
}

function segment(streamId: string, seqStart: bigint, seqEnd: bigint): SecureLogSegmentRow {
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

function witness(streamId: string, receivedAtRfc3339: string): WitnessLogRow {
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

type SyncStore = FileStore | MemoryStore;
const NAMES = ["a", "b", "c", "s", "x", "y", "other", "none", "default", "alpha", "Beta", "zeta"];

/** Everything the store answers, through its public functions. */
function dump(s: SyncStore) {
  const streams = s.secureLogStreamList();
  const names = [...new Set([...NAMES, ...streams.map((r) => r.name)])];
  return {
    globalHead: s.secureLogGlobalHead(),
    streams,
    witnessStreams: s.witnessLogStreamIds(),
    byStream: names.map((n) => ({
      n,
      entries: s.secureLogRange(n, 0n, U64_MAX),
      head: s.secureLogHead(n),
      last: s.secureLogLast(n),
      segments: s.secureLogSegmentsList(n).map((seg) => ({
        seg,
        members: s.secureLogSegmentEntrySeqnos(seg.segmentId!),
      })),
      lastSealed: s.secureLogSegmentLastSeqno(n),
      witness: s.witnessLogList(n),
      latestWitness: s.witnessLogLatest(n),
    })),
  };
}

let dir: string;
let path: string;
let store: FileStore;

function openStore(): FileStore {
  const s = new FileStore(new NodeFileSystem(), { clock: CLOCK, warn: () => undefined });
  s.init(path);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "file-store-"));
  path = join(dir, "log.jsonl");
  store = openStore();
});

afterEach(() => {
  try {
    if (store.path !== undefined) expect(dump(openStore())).toEqual(dump(store));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("init", () => {
  it("rejects an empty config", () => {
    const fresh = new FileStore(new NodeFileSystem());
    expect(() => fresh.init("")).toThrow("store config must not be empty");
    expect(() => fresh.secureLogGlobalHead()).toThrow("store not initialised: call init first");
  });

  it("refuses every other call before init", () => {
    const fresh = new FileStore(new NodeFileSystem());
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
    for (const call of calls) expect(call).toThrow("store not initialised: call init first");
  });

  it("creates the default stream once, and keeps its created-at across reopens", () => {
    const expected = {
      name: "default",
      tier: "public",
      description: "Default stream created automatically at init.",
      createdAtRfc3339: "2026-01-02T03:04:05+00:00",
    };
    expect(store.secureLogStreamList()).toEqual([expected]);
    store.secureLogStreamSetTier("default", "protected");
    store.init(path);
    expect(store.secureLogStreamList()).toEqual([{ ...expected, tier: "protected" }]);
    const later = new FileStore(new NodeFileSystem(), { clock: () => new Date("2030-01-01Z") });
    later.init(path);
    expect(later.secureLogStreamGet("default")?.createdAtRfc3339).toBe(expected.createdAtRfc3339);
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe('{"format":"secure-log-file-store","version":1}');
    expect(lines.filter((l) => l.includes('"op":"stream"'))).toHaveLength(1);
  });
});

describe("entries", () => {
  it("requires a seqno and rejects duplicates", () => {
    expect(() => store.secureLogInsert(entry(undefined))).toThrow(/seqno/);
    expect(store.secureLogInsert(entry(5n))).toBe(5n);
    expect(() => store.secureLogInsert(entry(5n, "other"))).toThrow(/duplicate seqno: 5/);
    expect(store.secureLogGet(5n)?.streamId).toBe("s");
  });

  it("answers global head, get, range, head and last", () => {
    expect(store.secureLogGlobalHead()).toBeUndefined();
    expect(store.secureLogLast("a")).toBeUndefined();
    for (const [n, s] of [
      [3n, "a"],
      [1n, "a"],
      [2n, "b"],
      [5n, "a"],
      [4n, "b"],
    ] as const) {
      store.secureLogInsert(entry(n, s, Number(n)));
    }
    expect(store.secureLogGlobalHead()).toBe(5n);
    expect(store.secureLogHead("a")).toBe(5n);
    expect(store.secureLogLast("b")).toEqual(entry(4n, "b", 4));
    expect(store.secureLogGet(2n)).toEqual(entry(2n, "b", 2));
    expect(store.secureLogRange("a", 2n, 4n).map((r) => r.seqno)).toEqual([3n]);
    expect(store.secureLogRange("a", 4n, 2n)).toEqual([]);
  });

  it("copies rows on insert and on read", () => {
    const row = entry(1n);
    store.secureLogInsert(row);
    row.payload[0] = 99;
    row.streamId = "mutated";
    const got = store.secureLogGet(1n)!;
    got.payload[0] = 42;
    expect(store.secureLogGet(1n)).toEqual(entry(1n));
  });

  it("round-trips u64 max and every byte value", () => {
    const row = { ...entry(U64_MAX, "t"), payload: Uint8Array.from({ length: 256 }, (_, i) => i) };
    store.secureLogInsert(row);
    store.secureLogSegmentInsert(segment("t", U64_MAX, U64_MAX), [[U64_MAX, U64_MAX]]);
    store.witnessLogInsert({ ...witness("t", "r"), segmentId: U64_MAX, seqEnd: U64_MAX });
    expect(readFileSync(path, "utf8")).toContain('"seqno":"18446744073709551615"');
    const again = openStore();
    expect(again.secureLogGet(U64_MAX)).toEqual(row);
    expect(again.secureLogSegmentEntrySeqnos(1n)).toEqual([U64_MAX]);
    expect(again.witnessLogLatest("t")?.segmentId).toBe(U64_MAX);
  });

  it("keeps any string, including newlines, quotes and non-ASCII", () => {
    const odd = 'line\nbreak "quoted" \\ tab\t é 𝄞 \u0000 \u2028';
    store.secureLogInsert({ ...entry(1n, odd), eventType: odd, producer: odd });
    expect(readFileSync(path, "utf8").trimEnd().split("\n")).toHaveLength(3);
    expect(openStore().secureLogLast(odd)).toMatchObject({ eventType: odd, producer: odd });
  });
});

describe("segments", () => {
  it("assigns ids 1, 2, 3 across streams, ignoring a caller's id, and lists by id", () => {
    store.secureLogInsert(entry(1n, "a"));
    const mine = { ...segment("a", 1n, 1n), segmentId: 9n };
    expect(store.secureLogSegmentInsert(mine, [[1n, 0n]])).toBe(1n);
    expect(store.secureLogSegmentInsert(segment("b", 2n, 3n), [])).toBe(2n);
    expect(store.secureLogSegmentInsert(segment("a", 4n, 6n), [])).toBe(3n);
    expect(store.secureLogSegmentsList("a").map((s) => s.segmentId)).toEqual([1n, 3n]);
    expect(store.secureLogSegmentGet(3n)).toEqual({ ...segment("a", 4n, 6n), segmentId: 3n });
    expect(store.secureLogSegmentGet(4n)).toBeUndefined();
    store = openStore();
    expect(store.secureLogSegmentInsert(segment("c", 7n, 7n), [])).toBe(4n);
  });

  it("records memberships in leaf order, one segment per seqno, without reusing ids", () => {
    const members: SegmentEntry[] = [
      [12n, 2n],
      [10n, 0n],
      [11n, 1n],
    ];
    const id = store.secureLogSegmentInsert(segment("a", 10n, 12n), members);
    expect(store.secureLogSegmentEntrySeqnos(id)).toEqual([10n, 11n, 12n]);
    expect(store.secureLogSegmentForSeqno(11n)).toBe(id);
    expect(() =>
      store.secureLogSegmentInsert(segment("a", 12n, 13n), [
        [13n, 0n],
        [12n, 1n],
      ]),
    ).toThrow(/seqno 12 already belongs to segment 1/);
    expect(store.secureLogSegmentForSeqno(13n)).toBeUndefined();
    expect(store.secureLogSegmentInsert(segment("a", 13n, 13n), [[13n, 0n]])).toBe(2n);
  });

  it("sets a signature, or says which segment is missing", () => {
    const id = store.secureLogSegmentInsert(segment("a", 1n, 1n), []);
    store.secureLogSegmentSetSignature(id, new Uint8Array([1, 2, 3]), "key-1");
    expect(store.secureLogSegmentGet(id)).toMatchObject({
      signature: new Uint8Array([1, 2, 3]),
      signerIdentity: "key-1",
    });
    expect(() => store.secureLogSegmentSetSignature(7n, new Uint8Array(1), "k")).toThrow(
      /^segment not found: 7$/,
    );
  });

  it("keeps a signature given at insert", () => {
    const row = { ...segment("a", 1n, 2n), signature: new Uint8Array([5]), signerIdentity: "k" };
    store.secureLogSegmentInsert(row, []);
    expect(openStore().secureLogSegmentGet(1n)).toEqual({ ...row, segmentId: 1n });
  });
});

describe("witness log", () => {
  it("assigns ids and answers latest, list and stream ids", () => {
    expect(store.witnessLogInsert({ ...witness("b", "t1"), id: 50n })).toBe(1n);
    expect(store.witnessLogInsert(witness("a", "t2"))).toBe(2n);
    expect(store.witnessLogInsert(witness("b", "t3"))).toBe(3n);
    expect(store.witnessLogLatest("b")).toEqual({ ...witness("b", "t3"), id: 3n });
    expect(store.witnessLogStreamIds()).toEqual(["a", "b"]);
  });

  describe("gc", () => {
    beforeEach(() => {
      store.witnessLogInsert(witness("a", "2026-01-01T00:00:00+00:00")); // 1
      store.witnessLogInsert(witness("a", "2026-01-02T00:00:00+00:00")); // 2
      store.witnessLogInsert(witness("a", "2026-01-03T00:00:00+00:00")); // 3
      store.witnessLogInsert(witness("b", "2026-01-01T00:00:00+00:00")); // 4
    });
    const ids = (s: SyncStore, stream: string) => s.witnessLogList(stream).map((r) => r.id);

    it("keeps the newest 1 of 3, and the deletion survives a reopen", () => {
      expect(store.witnessLogGc("a", 1, undefined)).toBe(2);
      expect(ids(openStore(), "a")).toEqual([3n]);
      expect(readFileSync(path, "utf8")).toContain('{"op":"witness-gc","ids":["1","2"]}');
    });

    it("combines keep-latest with a cutoff", () => {
      expect(store.witnessLogGc("a", 2, "2026-01-09T00:00:00+00:00")).toBe(1);
      expect(store.witnessLogGc("a", 1, "2026-01-02T12:00:00+00:00")).toBe(1);
      expect(ids(store, "a")).toEqual([3n]);
    });

    it("deletes nothing, and writes nothing, without keep-latest or cutoff", () => {
      const before = readFileSync(path);
      expect(store.witnessLogGc(undefined, undefined, undefined)).toBe(0);
      expect(store.witnessLogGc("none", 0, "2027")).toBe(0);
      expect(readFileSync(path)).toEqual(before);
    });

    it("runs over every stream when none is given; ids continue after a reopen", () => {
      expect(store.witnessLogGc(undefined, undefined, "2027")).toBe(4);
      expect(store.witnessLogStreamIds()).toEqual([]);
      store = openStore();
      expect(store.witnessLogInsert(witness("a", "t"))).toBe(5n);
    });
  });
});

describe("streams", () => {
  it("upserts, keeping created-at, and lists by name", () => {
    store.secureLogStreamUpsert({
      name: "zeta",
      tier: "protected",
      description: "d",
      createdAtRfc3339: "c1",
    });
    store.secureLogStreamUpsert({
      name: "zeta",
      tier: "public",
      createdAtRfc3339: "c2",
      deprecatedAtRfc3339: "d",
    });
    store.secureLogStreamUpsert({ name: "alpha", tier: "public", createdAtRfc3339: "c" });
    store.secureLogStreamUpsert({ name: "Beta", tier: "public", createdAtRfc3339: "c" });
    const zeta = openStore().secureLogStreamGet("zeta");
    expect(zeta).toEqual({
      name: "zeta",
      tier: "public",
      createdAtRfc3339: "c1",
      deprecatedAtRfc3339: "d",
    });
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
    expect(openStore().secureLogStreamGet("default")).toMatchObject({
      tier: "highly-restricted",
      deprecatedAtRfc3339: "2026-02-01T00:00:00+00:00",
    });
    expect(() => store.secureLogStreamSetTier("ghost", "public")).toThrow(
      /^stream not found: ghost$/,
    );
    expect(() => store.secureLogStreamDeprecate("ghost", "t")).toThrow(/^stream not found: ghost$/);
  });
});

// Small seeded PRNG (mulberry32), so a failure replays exactly.
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

type Outcome = { ok: unknown } | { err: string };
function outcome(run: () => unknown): Outcome {
  try {
    return { ok: run() };
  } catch (e) {
    return { err: e instanceof Error ? e.message : String(e) };
  }
}

describe("against MemoryStore, same random writes", () => {
  it.each([1, 2, 3, 4])("seed %i: same answers, same state, also after reopening", (seed) => {
    const rnd = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
    const mem = new MemoryStore(CLOCK);
    mem.init("mem");
    const times = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"];
    // Each maker draws its arguments once; the op it returns is run on both stores.
    type Op = (s: SyncStore) => unknown;
    const makers: (() => Op)[] = [
      () => {
        const row = entry(rnd(20) === 0 ? undefined : BigInt(1 + rnd(40)), pick(["a", "b"]), seed);
        return (s) => s.secureLogInsert(row);
      },
      () => {
        const row = segment(pick(["a", "b"]), 1n, 9n);
        const members = Array.from({ length: rnd(4) }, (_, i): SegmentEntry => [
          BigInt(1 + rnd(40)),
          BigInt(i),
        ]);
        return (s) => s.secureLogSegmentInsert(row, members);
      },
      () => {
        const [id, sig] = [BigInt(1 + rnd(6)), new Uint8Array([rnd(256)])];
        return (s) => s.secureLogSegmentSetSignature(id, sig, "k");
      },
      () => {
        const row = witness(pick(["a", "b", "c"]), pick(times));
        return (s) => s.witnessLogInsert(row);
      },
      () => {
        const args = [
          pick(["a", "b", undefined, "none"]),
          pick([undefined, 0, 1, 2]),
          pick([undefined, ...times]),
        ] as const;
        return (s) => s.witnessLogGc(...args);
      },
      () => {
        const row = {
          name: pick(["x", "y", "default"]),
          tier: pick(["public", "protected"]),
          description: pick([undefined, "d"]),
          createdAtRfc3339: pick(times),
          deprecatedAtRfc3339: pick([undefined, "2027"]),
        };
        return (s) => s.secureLogStreamUpsert(row);
      },
      () => {
        const [name, tier] = [pick(["x", "y", "ghost", "default"]), pick(["public", "p2"])];
        return (s) => s.secureLogStreamSetTier(name, tier);
      },
      () => {
        const [name, at] = [pick(["x", "ghost", "default"]), pick(times)];
        return (s) => s.secureLogStreamDeprecate(name, at);
      },
    ];
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      const op = pick(makers)();
      const expected = outcome(() => op(mem));
      if ("err" in expected) errors++;
      expect({ i, ...outcome(() => op(store)) }).toEqual({ i, ...expected });
      if (i % 75 === 74) {
        store = openStore();
        expect(dump(store)).toEqual(dump(mem));
      }
    }
    expect(errors).toBeGreaterThan(10);
    expect(dump(store)).toEqual(dump(mem));
  });
});
