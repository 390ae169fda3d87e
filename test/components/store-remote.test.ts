// The built store-remote component, its transport import a loopback over the
// shared contract to a MemoryStore (test/rpc/dispatch.ts): every store call
// crosses WIT, the JSON wire format and back, and answers as the store itself
// would; every failure is the WIT err string.

import { beforeAll, describe, expect, it } from "vitest";
import { buildComponents } from "../../scripts/build";
import { U64_MAX } from "../../src/core/model";
import type { SecureLogRow } from "../../src/core/store";
import { MemoryStore } from "../../src/stores/memory-store";
import { loopbackRpc } from "../rpc/dispatch";
import {
  CLOCK,
  dumpStore,
  insertGcWitnesses,
  segment,
  witness,
  type SyncStore,
} from "../stores/store-contract";
import { storeInstance, witEntry, witErr } from "./store-component";

let wasm: string;

beforeAll(async () => {
  const [built] = await buildComponents(["store-remote"]);
  wasm = built!.path;
}, 300_000);

async function remote(
  server: MemoryStore,
  tap?: (request: string, response: string) => string,
): Promise<SyncStore> {
  return storeInstance(wasm, {}, { "secure-log:log/transport": { rpc: loopbackRpc(server, tap) } });
}

function serverStore(): MemoryStore {
  const s = new MemoryStore(CLOCK);
  s.init("memory");
  return s;
}

/**
 * Entry `seqno` of `streamId` chained after `prev` (compare-and-append): its
 * hash is `fill` repeated, its severity and bytes exercise WIT's enum and list<u8>.
 */
function chained(seqno: bigint, streamId: string, fill: number, prev?: number): SecureLogRow {
  return {
    ...witEntry(seqno, streamId),
    prevEntryHash: new Uint8Array(32).fill(prev ?? 0),
    entryHash: new Uint8Array(32).fill(fill),
  };
}

/** A SecureLog-like sequence of calls: entries, a sealed signed segment, witnesses, streams. */
function workload(store: SyncStore): void {
  expect(store.secureLogGlobalHead()).toBeUndefined();
  expect(store.secureLogInsert(chained(1n, "s", 1))).toBe(1n);
  expect(store.secureLogInsert(chained(2n, "t", 2))).toBe(2n);
  expect(store.secureLogInsert(chained(3n, "s", 3, 1))).toBe(3n);
  const big = { ...chained(4n, "t", 4, 2), payload: new Uint8Array(100_000).fill(0xa5) };
  expect(store.secureLogInsert(big)).toBe(4n);
  expect(store.secureLogInsert({ ...chained(5n, "t", 5, 4), payload: new Uint8Array() })).toBe(5n);
  expect(store.secureLogGlobalHead()).toBe(5n);
  expect(store.secureLogGet(3n)).toEqual(chained(3n, "s", 3, 1));
  expect(store.secureLogGet(4n)?.payload).toEqual(big.payload);
  expect(store.secureLogGet(U64_MAX)).toBeUndefined();
  expect(store.secureLogRange("s", 0n, U64_MAX).map((r) => r.seqno)).toEqual([1n, 3n]);
  expect(store.secureLogHead("t")).toBe(5n);
  expect(store.secureLogLast("s")?.seqno).toBe(3n);

  const seg = segment("s", 1n, 3n);
  expect(
    store.secureLogSegmentInsert(seg, [
      [1n, 0n],
      [3n, 1n],
    ]),
  ).toBe(1n);
  store.secureLogSegmentSetSignature(1n, new Uint8Array([9, 9]), "node-key");
  expect(store.secureLogSegmentGet(1n)).toEqual({
    ...seg,
    segmentId: 1n,
    signature: new Uint8Array([9, 9]),
    signerIdentity: "node-key",
  });
  expect(
    store.secureLogSegmentInsert(segment("t", 2n, U64_MAX), [
      [2n, 0n],
      [4n, U64_MAX],
    ]),
  ).toBe(2n);
  expect([...store.secureLogSegmentEntrySeqnos(1n)]).toEqual([1n, 3n]);
  expect(store.secureLogSegmentForSeqno(3n)).toBe(1n);
  expect(store.secureLogSegmentLastSeqno("t")).toBe(U64_MAX);

  insertGcWitnesses(store);
  expect(
    store.witnessLogInsert({ ...witness("z", "2026-01-04T00:00:00+00:00"), segmentId: U64_MAX }),
  ).toBe(5n);
  expect(store.witnessLogGc("a", 1, undefined)).toBe(2);
  expect(store.witnessLogGc(undefined, undefined, "2026-01-01T12:00:00+00:00")).toBe(1);
  expect(store.witnessLogStreamIds()).toEqual(["a", "z"]);

  store.secureLogStreamUpsert({
    name: "audit",
    tier: "public",
    description: "the audit stream",
    createdAtRfc3339: "2026-01-01T00:00:00+00:00",
  });
  store.secureLogStreamSetTier("audit", "highly-restricted");
  store.secureLogStreamDeprecate("audit", "2026-02-01T00:00:00+00:00");
}

describe("store-remote component", () => {
  it("answers every store call as the store behind the server does", async () => {
    const server = serverStore();
    const store = await remote(server);
    store.init("http://127.0.0.1:1/rpc");
    workload(store);

    const direct = new MemoryStore(CLOCK) as unknown as SyncStore;
    direct.init("memory");
    workload(direct);
    expect(dumpStore(store)).toEqual(dumpStore(direct));
    expect(store.secureLogStreamGet("audit")).toEqual(direct.secureLogStreamGet("audit"));
    expect(store.secureLogStreamGet("nope")).toBeUndefined();
    expect(store.secureLogGet(6n)).toBeUndefined();
  });

  it("refuses an empty config, and any call before init", async () => {
    const store = await remote(serverStore());
    expect(witErr(() => store.secureLogGlobalHead())).toBe(
      "remote: store not initialised: call init first",
    );
    expect(witErr(() => store.init(""))).toMatch(/^remote: store config must not be empty/);
  });

  it("returns the server's store error as the WIT err, prefixed", async () => {
    const store = await remote(serverStore());
    store.init("remote");
    expect(witErr(() => store.secureLogSegmentSetSignature(7n, new Uint8Array(), "k"))).toMatch(
      /^remote: http 500: .*7/,
    );
  });

  it("keeps a lost compare-and-append race a conflict, so the core retries it", async () => {
    const store = await remote(serverStore());
    store.init("remote");
    store.secureLogInsert(chained(1n, "s", 1));
    expect(witErr(() => store.secureLogInsert(chained(1n, "s", 1)))).toBe(
      "conflict: seqno 1 is not the next seqno (2)",
    );
  });

  it("reports a server that speaks another rpc version", async () => {
    const store = await remote(serverStore(), (_, res) =>
      res.replace('"version":1', '"version":2'),
    );
    expect(witErr(() => store.init("remote"))).toBe("remote: server speaks rpc v2, this client v1");
    const v2 = await remote(serverStore(), (req, res) =>
      req.startsWith('{"v":1')
        ? '{"v":1,"err":{"code":"version","message":"server speaks rpc v2, request was v1"}}'
        : res,
    );
    expect(witErr(() => v2.init("remote"))).toBe(
      "remote: http 400: server speaks rpc v2, request was v1",
    );
  });

  it("refuses a malformed result, naming the field", async () => {
    const store = await remote(serverStore(), (req, res) =>
      req.includes('"secure-log-global-head"') ? '{"v":1,"ok":7}' : res,
    );
    store.init("remote");
    expect(witErr(() => store.secureLogGlobalHead())).toBe(
      "remote: malformed result of secure-log-global-head: result: expected a decimal u64 string",
    );
  });
});
