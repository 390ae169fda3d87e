// The built store-file component, transpiled by jco and run on preview2-shim
// with a temporary directory preopened as /data: the store through its WIT
// interface, its file on the host, and every failure as the WIT `err` string.

import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildComponents } from "../../scripts/build";
import { U64_MAX } from "../../src/core/model";
import { witness, type SyncStore } from "../stores/store-contract";
import { expectRoundTrip, storeInstance, witEntry as entry, witErr } from "./store-component";

let wasm: string;
let dir: string;
const file = () => join(dir, "log.jsonl");

function instance(): Promise<SyncStore> {
  return storeInstance(wasm, { "/data": dir });
}

async function opened(): Promise<SyncStore> {
  const store = await instance();
  store.init("/data/log.jsonl");
  return store;
}

beforeAll(async () => {
  const [built] = await buildComponents(["store-file"]);
  wasm = built!.path;
}, 300_000);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "store-file-component-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("store-file component", () => {
  it("initialises, stores and answers through the WIT interface", async () => {
    const store = await opened();
    expectRoundTrip(store, U64_MAX);
    store.secureLogStreamSetTier("default", "protected");
    expect(store.secureLogStreamList().map((s) => [s.name, s.tier])).toEqual([
      ["default", "protected"],
    ]);
  });

  it("keeps its state in the file, where a new instance finds it", async () => {
    const store = await opened();
    store.secureLogInsert(entry(1n));
    store.witnessLogInsert(witness("s", "2026-01-01T00:00:00+00:00"));
    const lines = readFileSync(file(), "utf8").trimEnd().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { op?: string }).op)).toEqual([
      undefined,
      "stream",
      "entry",
      "witness",
    ]);
    const again = await opened();
    expect(again.secureLogGet(1n)).toEqual(entry(1n));
    expect(again.witnessLogLatest("s")?.id).toBe(1n);
    expect(again.witnessLogInsert({ ...again.witnessLogLatest("s")!, id: undefined })).toBe(2n);
  });

  it("cuts a torn final record on init and keeps appending", async () => {
    (await opened()).secureLogInsert(entry(1n));
    const whole = readFileSync(file());
    appendFileSync(file(), '{"op":"entry","seqno":"2","str');
    const store = await opened();
    expect(readFileSync(file())).toEqual(whole);
    expect(store.secureLogInsert(entry(2n, "s", true))).toBe(2n);
    expect((await opened()).secureLogGlobalHead()).toBe(2n);
  });

  it("returns a malformed line as the WIT err, naming the line", async () => {
    (await opened()).secureLogInsert(entry(1n));
    const lines = readFileSync(file(), "utf8").split("\n");
    lines[2] = lines[2]!.replace('"seqno":"1"', '"seqno":1');
    writeFileSync(file(), lines.join("\n"));
    const store = await instance();
    expect(witErr(() => store.init("/data/log.jsonl"))).toBe(
      "cannot open file store /data/log.jsonl: line 3 is malformed: entry.seqno: expected a u64 " +
        "as a decimal string, got number; lines are never skipped, so repair or restore the file",
    );
    expect(witErr(() => store.secureLogGlobalHead())).toBe(
      "store not initialised: call init first",
    );
  });

  it("returns config, path and rule errors as the WIT err, and stays usable", async () => {
    const store = await instance();
    expect(witErr(() => store.init(""))).toBe(
      "store config must not be empty (give the file's path)",
    );
    expect(witErr(() => store.init("/etc/log.jsonl"))).toBe(
      "cannot open file store: read /etc/log.jsonl: no preopened directory contains it " +
        "(preopens: '/data'); give the host a directory mapping that covers it",
    );
    expect(witErr(() => store.init("/data/missing/log.jsonl"))).toBe(
      "cannot create file store: append to /data/missing/log.jsonl: no-entry (no such file or directory)",
    );
    store.init("/data/log.jsonl");
    store.secureLogInsert(entry(1n));
    const before = readFileSync(file());
    expect(witErr(() => store.secureLogInsert(entry(1n, "other")))).toBe(
      "conflict: seqno 1 is not the next seqno (2)",
    );
    expect(witErr(() => store.secureLogStreamDeprecate("ghost", "t"))).toBe(
      "stream not found: ghost",
    );
    expect(readFileSync(file())).toEqual(before);
    expect(store.secureLogInsert(entry(2n, "s", true))).toBe(2n);
  });
});
