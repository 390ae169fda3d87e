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
import { chain, segment, witness, type SyncStore } from "../stores/store-contract";
import { instantiateComponent } from "./harness";
import { expectRoundTrip, storeInstance, witEntry as entry, witErr } from "./store-component";

let storeWasm: string;
let engineWasm: string;
let composedWasm: string;
let composedImports: string[];
let work: string;
let dir: string;

function composed(): Promise<SyncStore> {
  return storeInstance(composedWasm, { "/data": dir });
}

async function wired(): Promise<SyncStore> {
  const { engine } = await instantiateComponent<{ engine: unknown }>(engineWasm, {
    preopens: { "/data": dir },
  });
  return storeInstance(storeWasm, {}, { "secure-log:sqlite/engine": engine });
}

const SEGMENT = segment("s", 1n, 2n);
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
    expectRoundTrip(store, I64_MAX);
    const row = { ...witness("s", "2026-01-01T00:00:00+00:00"), id: 40n };
    expect(store.witnessLogInsert(row)).toBe(1n);
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
    expect(again.secureLogGet(3n)).toEqual(entry(3n, "s", true));
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
    expect(witErr(() => store.secureLogInsert(entry(1n, "other")))).toBe(
      "conflict: seqno 1 is not the next seqno (2)",
    );
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
    expect(store.secureLogInsert(entry(2n, "s", true))).toBe(2n);
  });

  it("measures calls through the component boundary", async () => {
    const store = await instance();
    store.init("/data/bench.db");
    const n = 200;
    let started = performance.now();
    for (const row of chain(Array.from({ length: n }, () => "s"))) store.secureLogInsert(row);
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
