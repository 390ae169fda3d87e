// The built store-file component, transpiled by jco and run on preview2-shim
// with a temporary directory preopened as /data: the store through its WIT
// interface, its file on the host, and every failure as the WIT `err` string.

import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildComponents } from "../../scripts/build";
import { U64_MAX } from "../../src/core/model";
import type { SecureLogRow, Store } from "../../src/core/store";
import { instantiateComponent } from "./harness";

// secure-log:log/store `use`s encoder.{severity}, so the component imports the
// whole encoder interface (componentize-js binds every function of it). The
// store never calls it; these stand-ins only satisfy the link.
const ENCODER_STANDIN = {
  encodeEntry: () => {
    throw new Error("store-file does not encode");
  },
  encodeCheckpoint: () => {
    throw new Error("store-file does not encode");
  },
  name: () => "unused",
};

type SyncStore = {
  [K in keyof Store]: (...a: Parameters<Store[K]>) => Awaited<ReturnType<Store[K]>>;
};

let wasm: string;
let dir: string;
const file = () => join(dir, "log.jsonl");

async function instance(): Promise<SyncStore> {
  const exports = await instantiateComponent<{ store: SyncStore }>(wasm, {
    preopens: { "/data": dir },
    imports: { "secure-log:log/encoder": ENCODER_STANDIN },
  });
  return exports.store;
}

async function opened(): Promise<SyncStore> {
  const store = await instance();
  store.init("/data/log.jsonl");
  return store;
}

/** The WIT err string of a failing call (jco throws it as a ComponentError's payload). */
function witErr(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    expect(e).toHaveProperty("payload");
    return (e as { payload: unknown }).payload;
  }
  throw new Error("expected the call to return err, and it returned ok");
}

function entry(seqno: bigint, streamId = "s"): SecureLogRow {
  return {
    seqno,
    streamId,
    sessionId: "sess",
    bootId: "boot",
    timestampRfc3339: "2026-01-01T00:00:00+00:00",
    eventType: "ev",
    severity: "warning",
    producer: "p",
    payloadEncoding: "cbor",
    payload: new Uint8Array([0, 1, 254, 255]),
    prevEntryHash: new Uint8Array(32).fill(3),
    entryHash: new Uint8Array(32).fill(4),
  };
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
    expect(store.secureLogGlobalHead()).toBeUndefined();
    expect(store.secureLogInsert(entry(1n))).toBe(1n);
    expect(store.secureLogInsert(entry(2n, "t"))).toBe(2n);
    expect(store.secureLogInsert(entry(U64_MAX))).toBe(U64_MAX);
    expect(store.secureLogGet(1n)).toEqual(entry(1n));
    expect(store.secureLogRange("s", 0n, U64_MAX).map((r) => r.seqno)).toEqual([1n, U64_MAX]);
    expect(store.secureLogHead("t")).toBe(2n);
    expect(store.secureLogLast("s")?.seqno).toBe(U64_MAX);
    const segment = {
      streamId: "s",
      seqStart: 1n,
      seqEnd: 1n,
      merkleRoot: new Uint8Array(32).fill(7),
      lastEntryHash: new Uint8Array(32).fill(4),
      prevCheckpointHash: new Uint8Array(32),
      closedAtRfc3339: "2026-01-01T00:00:01+00:00",
    };
    expect(store.secureLogSegmentInsert(segment, [[1n, 0n]])).toBe(1n);
    store.secureLogSegmentSetSignature(1n, new Uint8Array([9, 9]), "node-key");
    expect(store.secureLogSegmentGet(1n)).toMatchObject({
      segmentId: 1n,
      signature: new Uint8Array([9, 9]),
      signerIdentity: "node-key",
    });
    expect([...store.secureLogSegmentEntrySeqnos(1n)]).toEqual([1n]);
    expect(store.secureLogSegmentForSeqno(1n)).toBe(1n);
    store.secureLogStreamSetTier("default", "protected");
    expect(store.secureLogStreamList().map((s) => [s.name, s.tier])).toEqual([
      ["default", "protected"],
    ]);
  });

  it("keeps its state in the file, where a new instance finds it", async () => {
    const store = await opened();
    store.secureLogInsert(entry(1n));
    store.witnessLogInsert({
      streamId: "s",
      segmentId: 1n,
      seqStart: 1n,
      seqEnd: 1n,
      checkpointHashHex: "ab",
      signatureHex: "cd",
      signerIdentity: "w",
      receivedAtRfc3339: "2026-01-01T00:00:00+00:00",
    });
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
    expect(store.secureLogInsert(entry(2n))).toBe(2n);
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
    expect(witErr(() => store.secureLogInsert(entry(1n, "other")))).toBe("duplicate seqno: 1");
    expect(witErr(() => store.secureLogStreamDeprecate("ghost", "t"))).toBe(
      "stream not found: ghost",
    );
    expect(readFileSync(file())).toEqual(before);
    expect(store.secureLogInsert(entry(2n))).toBe(2n);
  });
});
