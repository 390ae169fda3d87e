// History in the SQLite store cannot be rewritten quietly: with the store
// closed, a user runs UPDATE, DELETE and REPLACE on the file — through the
// engine's own `execute` (as the store component's neighbour would) and through
// the sqlite3 shell — and the store, reopened, answers exactly as before while
// `tamper_attempts` lists every attempt. The one change allowed is signing an
// unsigned segment, once.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildSqliteEngine } from "../../scripts/lib/build-sqlite-engine";
import type { Engine } from "../../src/stores/sqlite/engine";
import { SqliteStore, type TamperAttempt } from "../../src/stores/sqlite/sqlite-store";
import { instantiateComponent } from "../components/harness";
import { chain, CLOCK, dumpStore, entry, segment } from "./store-contract";

let dir: string;
let engine: Engine;
let name: string;
let counter = 0;
const open: SqliteStore[] = [];
const guestPath = () => `/data/${name}`;
const hostPath = () => join(dir, name);

function openStore(): SqliteStore {
  const store = new SqliteStore(engine, { clock: CLOCK });
  store.init(guestPath());
  open.push(store);
  return store;
}

/** Entries 1-3 in stream s; segment 1 (seqnos 1, 2) unsigned, segment 2 (3) signed. */
function history(): ReturnType<typeof dumpStore> {
  const store = openStore();
  for (const row of chain(["s", "s", "s"])) store.secureLogInsert(row);
  store.secureLogSegmentInsert(segment("s", 1n, 2n), [
    [1n, 0n],
    [2n, 1n],
  ]);
  store.secureLogSegmentInsert(segment("s", 3n, 3n), [[3n, 0n]]);
  store.secureLogSegmentSetSignature(2n, new Uint8Array([2, 2]), "key-2");
  const before = dumpStore(store);
  store.close();
  return before;
}

/** What a user types, run through the engine on the closed store's file. */
function viaEngine(sql: string): void {
  const db = engine.open(guestPath());
  try {
    engine.execute(db, sql);
  } finally {
    engine.close(db);
  }
}

function viaShell(sql: string): void {
  const r = spawnSync("sqlite3", ["-bail", hostPath(), sql], { encoding: "utf8" });
  if (r.error !== undefined) throw new Error(`sqlite3 shell: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`sqlite3 ${hostPath()}: ${r.stderr}`);
}

const shellAvailable = spawnSync("sqlite3", ["-version"]).status === 0;

const attempts = (store: SqliteStore) =>
  store.tamperAttempts().map((a: TamperAttempt) => [a.table, a.operation, a.rowKey, a.detail]);

const ENTRY_ROW = `'s', 'sess', 'boot', 't', 'ev', 'info', 'p', 'cbor', x'00', zeroblob(32), zeroblob(32)`;

// Each statement succeeds (RAISE(IGNORE) skips the row, it does not fail the
// statement) and changes nothing; the expected records follow each one.
const ATTEMPTS: Array<[sql: string, records: string[][]]> = [
  [
    "UPDATE secure_log SET payload = x'00', entry_hash = zeroblob(32) WHERE seqno = 1",
    [["secure_log", "update", "1", "changed: payload, entry_hash"]],
  ],
  [
    "UPDATE secure_log SET stream_id = stream_id WHERE seqno = 2",
    [["secure_log", "update", "2", "changed: nothing"]],
  ],
  [
    "DELETE FROM secure_log WHERE seqno >= 2",
    [
      ["secure_log", "delete", "2", ""],
      ["secure_log", "delete", "3", ""],
    ],
  ],
  [
    `INSERT OR REPLACE INTO secure_log VALUES (1, ${ENTRY_ROW})`,
    [["secure_log", "replace", "1", ""]],
  ],
  [
    `INSERT INTO secure_log VALUES (2, ${ENTRY_ROW}) ON CONFLICT (seqno) DO UPDATE SET payload = x'01'`,
    [["secure_log", "replace", "2", ""]],
  ],
  [
    "UPDATE secure_log_segments SET merkle_root = zeroblob(32)",
    [
      ["secure_log_segments", "update", "1", "changed: merkle_root"],
      ["secure_log_segments", "update", "2", "changed: merkle_root"],
    ],
  ],
  [
    "UPDATE secure_log_segments SET signature = x'09', signer_identity = 'forger' WHERE segment_id = 2",
    [["secure_log_segments", "update", "2", "changed: signature, signer_identity"]],
  ],
  [
    "UPDATE secure_log_segments SET signature = x'09', signer_identity = 'k', seq_end = 3 " +
      "WHERE segment_id = 1",
    [["secure_log_segments", "update", "1", "changed: seq_end, signature, signer_identity"]],
  ],
  [
    "DELETE FROM secure_log_segments WHERE segment_id = 1",
    [["secure_log_segments", "delete", "1", ""]],
  ],
  [
    "UPDATE secure_log_segment_entries SET leaf_index = 5 WHERE seqno = 1",
    [["secure_log_segment_entries", "update", "1:1", "changed: leaf_index"]],
  ],
  [
    "DELETE FROM secure_log_segment_entries WHERE segment_id = 2",
    [["secure_log_segment_entries", "delete", "2:3", ""]],
  ],
  [
    "INSERT OR REPLACE INTO secure_log_segment_entries VALUES (2, 1, 1)",
    [["secure_log_segment_entries", "replace", "2:1", ""]],
  ],
  [
    "DELETE FROM tamper_attempts WHERE id <= 2",
    [
      ["tamper_attempts", "delete", "1", ""],
      ["tamper_attempts", "delete", "2", ""],
    ],
  ],
  [
    "UPDATE tamper_attempts SET detail = '' WHERE id = 1",
    [["tamper_attempts", "update", "1", "changed: detail"]],
  ],
];

beforeAll(async () => {
  const build = await buildSqliteEngine();
  dir = mkdtempSync(join(tmpdir(), "sqlite-tamper-"));
  const exports = await instantiateComponent<{ engine: Engine }>(build.wasmPath, {
    preopens: { "/data": dir },
  });
  engine = exports.engine;
}, 900_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  name = `tamper-${++counter}.db`;
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const WAYS: Array<[how: string, run: (sql: string) => void, available: boolean]> = [
  ["the engine's execute", viaEngine, true],
  ["the sqlite3 shell", viaShell, shellAvailable],
];

describe.each(WAYS)("through %s", (_how, run, available) => {
  it.runIf(available)("refuses every change to history and records each attempt", () => {
    const before = history();
    for (const [sql] of ATTEMPTS) run(sql);
    const store = openStore();
    expect(dumpStore(store)).toEqual(before);
    expect(attempts(store)).toEqual(ATTEMPTS.flatMap(([, records]) => records));
    const [first] = store.tamperAttempts();
    expect(first?.attemptedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // New entries and segments still go in.
    store.secureLogInsert(entry(4n, "s", 4, 3));
    expect(store.secureLogSegmentInsert(segment("s", 4n, 4n), [[4n, 0n]])).toBe(3n);
  });

  it.runIf(available)("lets an unsigned segment be signed once, changing nothing else", () => {
    history();
    run(
      "UPDATE secure_log_segments SET signature = x'0102', signer_identity = 'k' WHERE segment_id = 1",
    );
    const store = openStore();
    expect(store.secureLogSegmentGet(1n)).toMatchObject({
      signature: new Uint8Array([1, 2]),
      signerIdentity: "k",
    });
    expect(store.tamperAttempts()).toEqual([]);
  });
});

describe("signatures", () => {
  it("are set once through the store; a second one is refused and changes nothing", () => {
    const store = openStore();
    const id = store.secureLogSegmentInsert(segment("a", 1n, 1n), []);
    store.secureLogSegmentSetSignature(id, new Uint8Array([1, 2, 3]), "key-1");
    expect(() => store.secureLogSegmentSetSignature(id, new Uint8Array([4]), "key-2")).toThrow(
      /^segment 1 is already signed by 'key-1': a segment's signature is set once$/,
    );
    const signed = { ...segment("a", 2n, 2n), signature: new Uint8Array([5]), signerIdentity: "k" };
    const other = store.secureLogSegmentInsert(signed, []);
    expect(() => store.secureLogSegmentSetSignature(other, new Uint8Array([6]), "k")).toThrow(
      "segment 2 is already signed by 'k'",
    );
    expect(store.secureLogSegmentGet(id)).toMatchObject({
      signature: new Uint8Array([1, 2, 3]),
      signerIdentity: "key-1",
    });
    // The store checks before it writes: its own refusals are not tamper attempts.
    expect(store.tamperAttempts()).toEqual([]);
  });
});

describe("the schema at init", () => {
  it("restores a dropped or altered trigger and records that it did", () => {
    history();
    viaEngine(`DROP TRIGGER secure_log_refuse_update;
      UPDATE secure_log SET payload = x'ff' WHERE seqno = 1;
      DROP TRIGGER secure_log_segments_refuse_delete;
      CREATE TRIGGER secure_log_segments_refuse_delete BEFORE DELETE ON secure_log_segments
      BEGIN SELECT 1; END;`);
    const store = openStore();
    // The rewrite went through while the trigger was gone: the hash chain
    // is what catches it (sqlite-store-log.test.ts).
    expect(store.secureLogGet(1n)?.payload).toEqual(new Uint8Array([0xff]));
    expect(attempts(store)).toEqual([
      ["sqlite_schema", "trigger", "secure_log_refuse_update", "missing; restored at init"],
      [
        "sqlite_schema",
        "trigger",
        "secure_log_segments_refuse_delete",
        "altered; restored at init",
      ],
    ]);
    store.close();
    viaEngine(
      "UPDATE secure_log SET payload = x'00' WHERE seqno = 1; DELETE FROM secure_log_segments",
    );
    const again = openStore();
    expect(again.secureLogGet(1n)?.payload).toEqual(new Uint8Array([0xff]));
    expect(again.secureLogSegmentsList("s")).toHaveLength(2);
    expect(
      attempts(again)
        .slice(2)
        .map(([t, op, key]) => [t, op, key]),
    ).toEqual([
      ["secure_log", "update", "1"],
      ["secure_log_segments", "delete", "1"],
      ["secure_log_segments", "delete", "2"],
    ]);
  });

  it("refuses a database whose tables were dropped", () => {
    history();
    viaEngine("DROP TABLE tamper_attempts");
    expect(() => openStore()).toThrow(
      `'/data/${name}': table tamper_attempts is missing although its migration is recorded: ` +
        "the database was changed outside the store",
    );
  });
});
