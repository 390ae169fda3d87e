// FileStore keeps MemoryStore's rules (the shared store contract) and every
// case's state survives a reopen: after each test a new instance, with a later
// clock, opens the same file and must answer exactly as the first. Then what
// only the file store has: the lines it writes, ids continuing after a reopen,
// and a seeded differential run driving it and MemoryStore with the same
// random writes.

import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { U64_MAX } from "../../src/core/model";
import type { SegmentEntry } from "../../src/core/store";
import { NodeFileSystem } from "../../src/node/node-file-system";
import { FileStore } from "../../src/stores/file/file-store";
import { entryJson, recordLine } from "../../src/stores/file/records";
import { MemoryStore } from "../../src/stores/memory-store";
import {
  CLOCK,
  describeStoreContract,
  dumpStore,
  entry,
  insertGcWitnesses,
  nextEntry,
  segment,
  witness,
  type SyncStore,
} from "./store-contract";

let dir: string;
let path: string;

function openStore(clock = CLOCK): FileStore {
  const s = new FileStore(new NodeFileSystem(), { clock, warn: () => undefined });
  s.init(path);
  return s;
}

/** A second instance, with a later clock, opening the same file answers as `store`. */
function expectSameAfterReopen(store: SyncStore): void {
  const again = openStore(() => new Date("2030-01-01T00:00:00Z"));
  expect(dumpStore(again)).toEqual(dumpStore(store));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "file-store-"));
  path = join(dir, "log.jsonl");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the store contract, and every case's state survives a reopen", () => {
  describeStoreContract({
    create: () => new FileStore(new NodeFileSystem(), { clock: CLOCK, warn: () => undefined }),
    config: () => path,
    release: expectSameAfterReopen,
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

describe("FileStore", () => {
  let store: FileStore;
  beforeEach(() => {
    store = openStore();
  });
  afterEach(() => expectSameAfterReopen(store));

  it("writes the header, and the default stream once, across inits and reopens", () => {
    store.secureLogStreamSetTier("default", "protected");
    store.init(path);
    const later = openStore(() => new Date("2030-01-01Z"));
    expect(later.secureLogStreamGet("default")).toMatchObject({
      tier: "protected",
      createdAtRfc3339: "2026-01-02T03:04:05+00:00",
    });
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe('{"format":"secure-log-file-store","version":1}');
    expect(lines.filter((l) => l.includes('"op":"stream"'))).toHaveLength(1);
  });

  it("round-trips u64 max and every byte value", () => {
    const row = { ...entry(U64_MAX, "t"), payload: Uint8Array.from({ length: 256 }, (_, i) => i) };
    // No writer reaches seqno u64 max (compare-and-append wants 1 next), so the
    // entry's line is written as the store would write it, and read back.
    appendFileSync(path, `${recordLine(entryJson(row))}\n`);
    store = openStore();
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

  it("ignores a caller's segment id, and ids continue after a reopen", () => {
    store.secureLogInsert(entry(1n, "a"));
    const mine = { ...segment("a", 1n, 1n), segmentId: 9n };
    expect(store.secureLogSegmentInsert(mine, [[1n, 0n]])).toBe(1n);
    expect(store.secureLogSegmentInsert(segment("b", 2n, 3n), [])).toBe(2n);
    expect(store.secureLogSegmentInsert(segment("a", 4n, 6n), [])).toBe(3n);
    store = openStore();
    expect(store.secureLogSegmentInsert(segment("c", 7n, 7n), [])).toBe(4n);
  });

  it("keeps a signature and signer given at insert", () => {
    const row = { ...segment("a", 1n, 2n), signature: new Uint8Array([5]), signerIdentity: "k" };
    store.secureLogSegmentInsert(row, []);
    expect(openStore().secureLogSegmentGet(1n)).toEqual({ ...row, segmentId: 1n });
  });

  describe("witness gc", () => {
    beforeEach(() => insertGcWitnesses(store));

    it("writes one line naming the deleted ids, and the deletion survives a reopen", () => {
      expect(store.witnessLogGc("a", 1, undefined)).toBe(2);
      expect(
        openStore()
          .witnessLogList("a")
          .map((r) => r.id),
      ).toEqual([3n]);
      expect(readFileSync(path, "utf8")).toContain('{"op":"witness-gc","ids":["1","2"]}');
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
          // Half of them the row compare-and-append accepts next, half random.
          const stream = pick(["a", "b"]);
          const row =
            rnd(2) === 0
              ? nextEntry(mem, stream, seed)
              : entry(
                  rnd(20) === 0 ? undefined : BigInt(1 + rnd(40)),
                  stream,
                  seed,
                  pick([0, seed]),
                );
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
          expect(dumpStore(store)).toEqual(dumpStore(mem));
        }
      }
      expect(errors).toBeGreaterThan(10);
      expect(dumpStore(store)).toEqual(dumpStore(mem));
    });
  });
});
