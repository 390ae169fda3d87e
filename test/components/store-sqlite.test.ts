// The built store-sqlite component with the sqlite-engine component, run by
// jco on preview2-shim with a temporary directory preopened as /data: once
// composed by our composer (`plug`, socket store-sqlite, plug sqlite-engine)
// and once as two instances, the engine's exports wired into the store's
// imports. The store through its WIT interface, its database on the host,
// and every failure as the WIT `err` string.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentWit } from "@bytecodealliance/jco";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { plug } from "../../compose/index";
import { buildComponents } from "../../scripts/build";
import { worldItems } from "../../scripts/compose";
import { buildSqliteEngine } from "../../scripts/lib/build-sqlite-engine";
import { U64_MAX } from "../../src/core/model";
import type { SecureLogRow, SecureLogSegmentRow, Store } from "../../src/core/store";
import { instantiateComponent } from "./harness";

// secure-log:log/store `use`s encoder.{severity}, so the component imports the
// encoder interface; the store never calls it.
const ENCODER_STANDIN = {
  encodeEntry: () => {
    throw new Error("store-sqlite does not encode");
  },
  encodeCheckpoint: () => {
    throw new Error("store-sqlite does not encode");
  },
  name: () => "unused",
};

type SyncStore = {
  [K in keyof Store]: (...a: Parameters<Store[K]>) => Awaited<ReturnType<Store[K]>>;
};

let storeWasm: string;
let engineWasm: string;
let composedWasm: string;
let composedImports: string[];
let work: string;
let dir: string;

async function composed(): Promise<SyncStore> {
  const exports = await instantiateComponent<{ store: SyncStore }>(composedWasm, {
    preopens: { "/data": dir },
    imports: { "secure-log:log/encoder": ENCODER_STANDIN },
  });
  return exports.store;
}

async function wired(): Promise<SyncStore> {
  const { engine } = await instantiateComponent<{ engine: unknown }>(engineWasm, {
    preopens: { "/data": dir },
  });
  const exports = await instantiateComponent<{ store: SyncStore }>(storeWasm, {
    imports: { "secure-log:sqlite/engine": engine, "secure-log:log/encoder": ENCODER_STANDIN },
  });
  return exports.store;
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

const SEGMENT: SecureLogSegmentRow = {
  streamId: "s",
  seqStart: 1n,
  seqEnd: 2n,
  merkleRoot: new Uint8Array(32).fill(7),
  lastEntryHash: new Uint8Array(32).fill(4),
  prevCheckpointHash: new Uint8Array(32),
  closedAtRfc3339: "2026-01-01T00:00:01+00:00",
};

const I64_MAX = (1n << 63n) - 1n;

beforeAll(async () => {
  const [built] = await buildComponents(["store-sqlite"]);
  storeWasm = built!.path;
  engineWasm = (await buildSqliteEngine()).wasmPath;
  work = mkdtempSync(join(tmpdir(), "store-sqlite-component-"));
  const result = plug({ name: "store-sqlite", bytes: readFileSync(storeWasm) }, [
    { name: "sqlite-engine", bytes: readFileSync(engineWasm) },
  ]);
  composedWasm = join(work, "store-sqlite+engine.wasm");
  writeFileSync(composedWasm, result.bytes);
  composedImports = worldItems(await componentWit(result.bytes)).imports;
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeEach(() => {
  dir = mkdtempSync(join(work, "data-"));
});

it("composes into a component that imports only WASI and the encoder", () => {
  expect(composedImports.filter((i) => !i.startsWith("wasi:"))).toEqual([
    "secure-log:log/encoder@0.1.0",
  ]);
});

describe.each([
  ["composed by plug", composed],
  ["as two instances, wired", wired],
] as const)("store-sqlite + sqlite-engine %s", (_how, instance) => {
  it("stores and answers through the WIT interface, and a new instance finds the state", async () => {
    const store = await instance();
    store.init("/data/log.db");
    expect(store.secureLogGlobalHead()).toBeUndefined();
    expect(store.secureLogInsert(entry(1n))).toBe(1n);
    expect(store.secureLogInsert(entry(2n, "t"))).toBe(2n);
    expect(store.secureLogInsert(entry(I64_MAX))).toBe(I64_MAX);
    expect(store.secureLogGet(1n)).toEqual(entry(1n));
    expect(store.secureLogRange("s", 0n, U64_MAX).map((r) => r.seqno)).toEqual([1n, I64_MAX]);
    expect(store.secureLogHead("t")).toBe(2n);
    expect(store.secureLogLast("s")?.seqno).toBe(I64_MAX);
    expect(store.secureLogSegmentInsert(SEGMENT, [[1n, 0n]])).toBe(1n);
    store.secureLogSegmentSetSignature(1n, new Uint8Array([9, 9]), "node-key");
    expect(store.secureLogSegmentGet(1n)).toEqual({
      ...SEGMENT,
      segmentId: 1n,
      signature: new Uint8Array([9, 9]),
      signerIdentity: "node-key",
    });
    expect([...store.secureLogSegmentEntrySeqnos(1n)]).toEqual([1n]);
    expect(store.secureLogSegmentForSeqno(1n)).toBe(1n);
    expect(store.witnessLogInsert({ ...witnessRow(), id: 40n })).toBe(1n);
    expect(store.witnessLogGc("s", 0, "2027")).toBe(1);
    store.secureLogStreamSetTier("default", "protected");
    expect(store.secureLogStreamList()).toEqual([
      {
        name: "default",
        tier: "protected",
        description: "Default stream created automatically at init.",
        createdAtRfc3339: expect.stringMatching(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+00:00$/,
        ),
      },
    ]);

    // Every commit is durable: a new instance (as after a restart) sees it all.
    const again = await instance();
    again.init("/data/log.db");
    expect(again.secureLogGet(I64_MAX)).toEqual(entry(I64_MAX));
    expect(again.secureLogSegmentGet(1n)?.signerIdentity).toBe("node-key");
    expect(again.secureLogStreamGet("default")?.tier).toBe("protected");
  });

  it("returns config, rule and limit errors as the WIT err, and stays usable", async () => {
    const store = await instance();
    expect(witErr(() => store.secureLogGlobalHead())).toBe(
      "store not initialised: call init first",
    );
    expect(witErr(() => store.init(""))).toBe("store config must not be empty");
    expect(witErr(() => store.init("/elsewhere/log.db"))).toMatch(
      /^cannot open '\/elsewhere\/log.db': SQLITE_CANTOPEN/,
    );
    store.init("/data/log.db");
    store.secureLogInsert(entry(1n));
    expect(witErr(() => store.secureLogInsert(entry(1n, "other")))).toBe("duplicate seqno: 1");
    expect(witErr(() => store.secureLogInsert(entry(I64_MAX + 1n)))).toBe(
      "seqno 9223372036854775808 is above 9223372036854775807 (2^63-1), the largest integer " +
        "SQLite stores: store-sqlite cannot hold it",
    );
    expect(witErr(() => store.secureLogSegmentSetSignature(7n, new Uint8Array(1), "k"))).toBe(
      "segment not found: 7",
    );
    store.secureLogSegmentInsert(SEGMENT, [[1n, 0n]]);
    expect(witErr(() => store.secureLogSegmentInsert(SEGMENT, [[1n, 0n]]))).toBe(
      "seqno 1 already belongs to segment 1",
    );
    store.secureLogSegmentSetSignature(1n, new Uint8Array([1]), "k1");
    expect(witErr(() => store.secureLogSegmentSetSignature(1n, new Uint8Array([2]), "k2"))).toBe(
      "segment 1 is already signed by 'k1': a segment's signature is set once",
    );
    expect(witErr(() => store.secureLogStreamDeprecate("ghost", "t"))).toBe(
      "stream not found: ghost",
    );
    expect(store.secureLogInsert(entry(2n))).toBe(2n);
  });

  it("measures calls through the component boundary", async () => {
    const store = await instance();
    store.init("/data/bench.db");
    const n = 200;
    let started = performance.now();
    for (let i = 1; i <= n; i++) store.secureLogInsert(entry(BigInt(i)));
    const insertMs = performance.now() - started;
    started = performance.now();
    for (let i = 1; i <= n; i++) store.secureLogGet(BigInt(i));
    const getMs = performance.now() - started;
    console.log(
      `store-sqlite component (${_how}): insert ${(insertMs / n).toFixed(2)} ms ` +
        `(${Math.round((n / insertMs) * 1000)}/s, durable), get ${((getMs / n) * 1000).toFixed(0)} µs`,
    );
    expect(store.secureLogGlobalHead()).toBe(BigInt(n));
  });
});

function witnessRow() {
  return {
    streamId: "s",
    segmentId: 1n,
    seqStart: 1n,
    seqEnd: 2n,
    checkpointHashHex: "ab",
    signatureHex: "cd",
    signerIdentity: "w",
    receivedAtRfc3339: "2026-01-01T00:00:00+00:00",
  };
}
