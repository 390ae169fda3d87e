// What the file store does with a damaged file or a failing disk: a torn final
// record is cut and reported, anything else refuses to open naming the line,
// a refused write changes nothing, and a failed append stops the store until
// init reopens it.

import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { U64_MAX } from "../../src/core/model";
import { NodeFileSystem } from "../../src/node/node-file-system";
import { FileStoreError } from "../../src/stores/file/errors";
import { FileStore } from "../../src/stores/file/file-store";
import type { FileSystem } from "../../src/wasi/file-system";
import { CLOCK, dumpStore, entry, segment } from "./store-contract";

/** A NodeFileSystem whose next append can be made to fail, optionally after writing part. */
class FaultyFileSystem extends NodeFileSystem {
  failNextAppend: "before" | "halfway" | undefined;

  override appendDurable(path: string, bytes: Uint8Array): void {
    const mode = this.failNextAppend;
    this.failNextAppend = undefined;
    if (mode === "halfway") super.appendDurable(path, bytes.subarray(0, bytes.length >> 1));
    if (mode !== undefined) throw new Error("ENOSPC: no space left on device");
    super.appendDurable(path, bytes);
  }
}

let dir: string;
let path: string;
let warnings: string[];

function openStore(fs: FileSystem = new NodeFileSystem()): FileStore {
  const s = new FileStore(fs, { clock: CLOCK, warn: (m) => warnings.push(m) });
  s.init(path);
  return s;
}

/** Header, default stream, entries 1..3, one segment: 6 lines. */
function seed(): FileStore {
  const s = openStore();
  for (const n of [1n, 2n, 3n]) s.secureLogInsert(entry(n, "s", 1, n === 1n ? 0 : 1));
  s.secureLogSegmentInsert(segment("s", 1n, 2n), [
    [1n, 0n],
    [2n, 1n],
  ]);
  return s;
}

const lines = () => readFileSync(path, "utf8").split("\n");

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "file-store-recovery-"));
  path = join(dir, "log.jsonl");
  warnings = [];
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a torn final record", () => {
  it("is cut back, reported, and appending continues", () => {
    seed();
    const whole = readFileSync(path);
    const torn = '{"op":"entry","seqno":"4","stream_id":"s","sess';
    appendFileSync(path, torn);
    const store = openStore();
    expect(store.recovered).toEqual({
      line: 7,
      droppedBytes: torn.length,
      message: expect.stringContaining(`cut a torn final record (line 7, ${torn.length} bytes`),
    });
    expect(warnings).toEqual([store.recovered!.message]);
    expect(readFileSync(path)).toEqual(whole);
    expect(store.secureLogInsert(entry(4n, "s", 1, 1))).toBe(4n);
    warnings = [];
    const again = openStore();
    expect(again.recovered).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(again.secureLogGlobalHead()).toBe(4n);
    expect(again.secureLogSegmentEntrySeqnos(1n)).toEqual([1n, 2n]);
  });

  it("is cut even when it is a whole record missing only its newline", () => {
    seed();
    const third = lines()[4]!;
    writeFileSync(
      path,
      `${readFileSync(path, "utf8")}${third.replace('"seqno":"3"', '"seqno":"9"')}`,
    );
    const store = openStore();
    expect(store.recovered?.line).toBe(7);
    expect(store.secureLogGet(9n)).toBeUndefined();
  });

  it("in a new file's first write leaves a fresh store", () => {
    writeFileSync(path, '{"format":"secure-log-fi');
    const store = openStore();
    expect(store.recovered?.line).toBe(1);
    expect(store.secureLogStreamList().map((s) => s.name)).toEqual(["default"]);
    expect(lines()[0]).toBe('{"format":"secure-log-file-store","version":1}');
  });

  it("is not cut from a file that is not a store: that file is refused and left alone", () => {
    writeFileSync(path, "just some text without a newline");
    expect(() => openStore()).toThrow(/line 1 is not a file store header/);
    expect(readFileSync(path, "utf8")).toBe("just some text without a newline");
  });
});

describe("a malformed line refuses to open, naming the line, and changes nothing", () => {
  const cases: [string, (ls: string[]) => void, number, RegExp][] = [
    ["bad JSON", (ls) => (ls[3] = '{"op":"entry",'), 4, /line 4 is malformed: not JSON/],
    ["an empty line", (ls) => (ls[2] = ""), 3, /line 3 is malformed: not JSON/],
    [
      "not an object",
      (ls) => (ls[2] = "[1,2]"),
      3,
      /line 3 is malformed: record: expected an object, got array/,
    ],
    [
      "an unknown op",
      (ls) => (ls[3] = '{"op":"frobnicate"}'),
      4,
      /line 4 is malformed: unknown op "frobnicate"/,
    ],
    [
      "a u64 as a JSON number",
      (ls) => (ls[3] = ls[3]!.replace('"seqno":"2"', '"seqno":2')),
      4,
      /entry\.seqno: expected a u64 as a decimal string, got number/,
    ],
    [
      "a u64 with a leading zero",
      (ls) => (ls[3] = ls[3]!.replace('"seqno":"2"', '"seqno":"02"')),
      4,
      /entry\.seqno: "02" is not a u64/,
    ],
    [
      "a u64 above 2^64-1",
      (ls) => (ls[3] = ls[3]!.replace('"seqno":"2"', `"seqno":"${U64_MAX + 1n}"`)),
      4,
      /is not a u64/,
    ],
    [
      "upper-case hex",
      (ls) => (ls[3] = ls[3]!.replace('"payload":"0101"', '"payload":"0A01"')),
      4,
      /entry\.payload: "0A01" is not lower-case hex/,
    ],
    [
      "odd-length hex",
      (ls) => (ls[3] = ls[3]!.replace('"payload":"0101"', '"payload":"010"')),
      4,
      /entry\.payload/,
    ],
    [
      "a missing field",
      (ls) => (ls[3] = ls[3]!.replace('"producer":"p",', "")),
      4,
      /entry\.producer: missing field/,
    ],
    [
      "an unknown field",
      (ls) => (ls[3] = ls[3]!.replace('{"op":"entry",', '{"op":"entry","extra":1,')),
      4,
      /entry: unknown field "extra"/,
    ],
    [
      "an unknown severity",
      (ls) => (ls[3] = ls[3]!.replace('"severity":"info"', '"severity":"loud"')),
      4,
      /entry\.severity: unknown severity "loud"/,
    ],
    [
      "a duplicate seqno",
      (ls) => (ls[3] = ls[2]!),
      4,
      /line 4 cannot be replayed \(entry\): duplicate seqno: 1/,
    ],
    [
      "a segment id out of sequence",
      (ls) => (ls[5] = ls[5]!.replace('"segment_id":"1"', '"segment_id":"2"')),
      6,
      /segment id 2 is out of sequence \(expected 1\)/,
    ],
    [
      "a gc of an absent witness row",
      (ls) => ls.splice(6, 0, '{"op":"witness-gc","ids":["7"]}'),
      7,
      /deletes witness row 7, which is absent/,
    ],
    [
      "a tier for a missing stream",
      (ls) => ls.splice(6, 0, '{"op":"stream-tier","name":"ghost","tier":"public"}'),
      7,
      /stream not found: ghost/,
    ],
    [
      "another format's header",
      (ls) => (ls[0] = '{"format":"other","version":1}'),
      1,
      /line 1 is not a secure-log-file-store header/,
    ],
    [
      "a newer version",
      (ls) => (ls[0] = '{"format":"secure-log-file-store","version":2}'),
      1,
      /unsupported secure-log-file-store version 2 \(this build reads version 1\)/,
    ],
  ];

  it.each(cases)("%s", (_name, damage, line, message) => {
    seed();
    const ls = lines();
    damage(ls);
    writeFileSync(path, ls.join("\n"));
    const before = readFileSync(path);
    const store = new FileStore(new NodeFileSystem(), { warn: (m) => warnings.push(m) });
    let error: unknown;
    try {
      store.init(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileStoreError);
    expect(error).toMatchObject({ code: "corrupt", line, message: expect.stringMatching(message) });
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot open file store .*log\\.jsonl: line ${line} .*; lines are never skipped`),
    );
    expect(readFileSync(path)).toEqual(before);
    expect(() => store.secureLogGlobalHead()).toThrow("store not initialised");
  });

  it("invalid UTF-8", () => {
    seed();
    appendFileSync(path, Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]));
    expect(() => openStore()).toThrow(/line 7 is not valid UTF-8/);
  });

  it("even when a torn record follows it: nothing is cut", () => {
    seed();
    const ls = lines();
    ls[3] = "{";
    writeFileSync(path, `${ls.join("\n")}{"op":"ent`);
    const before = readFileSync(path);
    expect(() => openStore()).toThrow(/line 4 is malformed/);
    expect(readFileSync(path)).toEqual(before);
    expect(warnings).toEqual([]);
  });
});

describe("a refused write changes neither the file nor the store", () => {
  const refused: [string, (s: FileStore) => unknown, RegExp][] = [
    [
      "a reused seqno",
      (s) => s.secureLogInsert(entry(2n, "other")),
      /^conflict: seqno 2 is not the next seqno \(4\)$/,
    ],
    [
      "a gap in the seqnos",
      (s) => s.secureLogInsert(entry(5n, "s", 1, 1)),
      /^conflict: seqno 5 is not the next seqno \(4\)$/,
    ],
    [
      "a prev_entry_hash other than the stream's last entry_hash",
      (s) => s.secureLogInsert(entry(4n, "s", 1, 2)),
      /^conflict: prev_entry_hash does not match the head of stream 's' \(seqno 3\)$/,
    ],
    ["a missing seqno", (s) => s.secureLogInsert(entry(undefined)), /requires row.seqno/],
    ["a negative seqno", (s) => s.secureLogInsert(entry(-1n)), /seqno must be a u64, got -1/],
    ["a seqno above u64", (s) => s.secureLogInsert(entry(U64_MAX + 1n)), /seqno must be a u64/],
    [
      "an unknown severity",
      (s) => s.secureLogInsert({ ...entry(9n), severity: "loud" as "info" }),
      /severity must be one of/,
    ],
    [
      "a payload that is not bytes",
      (s) => s.secureLogInsert({ ...entry(9n), payload: [1] as unknown as Uint8Array }),
      /payload must be a Uint8Array/,
    ],
    [
      "a seqno already sealed",
      (s) =>
        s.secureLogSegmentInsert(segment("s", 2n, 3n), [
          [3n, 0n],
          [2n, 1n],
        ]),
      /seqno 2 already belongs to segment 1/,
    ],
    [
      "a signature for a missing segment",
      (s) => s.secureLogSegmentSetSignature(9n, new Uint8Array(1), "k"),
      /segment not found: 9/,
    ],
    [
      "a tier for a missing stream",
      (s) => s.secureLogStreamSetTier("ghost", "public"),
      /stream not found: ghost/,
    ],
    [
      "deprecating a missing stream",
      (s) => s.secureLogStreamDeprecate("ghost", "t"),
      /stream not found: ghost/,
    ],
  ];

  it.each(refused)("%s", (_name, write, message) => {
    const store = seed();
    const before = readFileSync(path);
    const state = () => dumpStore(store);
    const unchanged = state();
    expect(() => write(store)).toThrow(message);
    expect(readFileSync(path)).toEqual(before);
    expect(state()).toEqual(unchanged);
    // The next segment still gets the next id, live and after a reopen.
    expect(store.secureLogSegmentInsert(segment("s", 3n, 3n), [[3n, 0n]])).toBe(2n);
    expect(openStore().secureLogSegmentForSeqno(3n)).toBe(2n);
  });
});

describe("a failed append", () => {
  it.each(["before", "halfway"] as const)(
    "(%s writing) stops the store until init reopens it without the write",
    (mode) => {
      seed();
      const before = readFileSync(path);
      const fs = new FaultyFileSystem();
      const store = openStore(fs);
      fs.failNextAppend = mode;
      expect(() => store.secureLogSegmentInsert(segment("s", 3n, 3n), [[3n, 0n]])).toThrow(
        /write failed: .*ENOSPC.*refuses further calls until init reopens it/,
      );
      expect(readFileSync(path)).toEqual(before);
      expect(() => store.secureLogGlobalHead()).toThrow(/unusable after a failed write/);
      expect(() => store.secureLogInsert(entry(4n))).toThrow(/unusable after a failed write/);
      store.init(path);
      expect(store.secureLogSegmentForSeqno(3n)).toBeUndefined();
      expect(store.secureLogSegmentInsert(segment("s", 3n, 3n), [[3n, 0n]])).toBe(2n);
      expect(openStore().secureLogSegmentForSeqno(3n)).toBe(2n);
    },
  );

  it("in a file that cannot be created is reported by init with the path", () => {
    path = join(dir, "missing-dir", "log.jsonl");
    expect(() => openStore()).toThrow(
      /cannot create file store: append to .*missing-dir\/log\.jsonl: ENOENT/,
    );
  });
});
