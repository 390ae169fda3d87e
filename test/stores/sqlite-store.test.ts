// SqliteStore over the real sqlite-engine component (built by
// buildSqliteEngine, transpiled by jco, run on preview2-shim with a temporary
// directory preopened as /data). It keeps MemoryStore's rules (the shared
// contract), and after every contract case a second store opening the same
// file must answer exactly as the first. Then what only SQLite has: the
// numbered migrations, the u64 limit, transactions, query plans.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildSqliteEngine } from "../../scripts/lib/build-sqlite-engine";
import { U64_MAX } from "../../src/core/model";
import type { SecureLogRow } from "../../src/core/store";
import { Database } from "../../src/stores/sqlite/database";
import type { Engine, SqlValue } from "../../src/stores/sqlite/engine";
import { appliedVersions } from "../../src/stores/sqlite/migrate";
import { MIGRATIONS, MIGRATIONS_TABLE } from "../../src/stores/sqlite/schema";
import { ENTRY_COLUMNS, ENTRY_PARAMS, entryValues } from "../../src/stores/sqlite/rows";
import { SqliteStore } from "../../src/stores/sqlite/sqlite-store";
import { SQL } from "../../src/stores/sqlite/statements";
import { I64_MAX } from "../../src/stores/sqlite/values";
import { instantiateComponent } from "../components/harness";
import {
  CLOCK,
  describeStoreContract,
  dumpStore,
  entry,
  segment,
  witness,
  type SyncStore,
} from "./store-contract";

let enginePath: string;
let dir: string;
let engine: Engine;
let path: string;
let counter = 0;
const open: SqliteStore[] = [];

/** A fresh engine instance whose /data is `hostDir`. */
async function nodeEngine(hostDir: string): Promise<Engine> {
  const exports = await instantiateComponent<{ engine: Engine }>(enginePath, {
    preopens: { "/data": hostDir },
  });
  return exports.engine;
}

function openStore(at = path, clock = CLOCK, over = engine): SqliteStore {
  const store = new SqliteStore(over, { clock });
  store.init(at);
  open.push(store);
  return store;
}

function closeAll(): void {
  for (const s of open.splice(0)) s.close();
}

/** Runs SQL on the file as another user would, with the store closed. */
function shell<T>(work: (db: number) => T): T {
  const db = engine.open(path);
  try {
    return work(db);
  } finally {
    engine.close(db);
  }
}

/**
 * Puts `row` in the database as stored, past compare-and-append (which wants
 * seqno 1 next in a new store): for states no writer reaches, such as seqno
 * 2^63-1. Creates the database first if need be; the store is closed after.
 */
function insertAsStored(row: SecureLogRow): void {
  openStore().close();
  shell((db) =>
    engine.executeMany(db, `INSERT INTO secure_log (${ENTRY_COLUMNS}) VALUES (${ENTRY_PARAMS})`, [
      entryValues(row.seqno!, row),
    ]),
  );
}

const cells = (rows: SqlValue[][]) =>
  rows.map((r) => r.map((v) => (v.tag === "null" ? null : v.val)));

beforeAll(async () => {
  enginePath = (await buildSqliteEngine()).wasmPath;
  dir = mkdtempSync(join(tmpdir(), "sqlite-store-"));
  engine = await nodeEngine(dir);
}, 900_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  path = `/data/store-${++counter}.db`;
});

describe("the store contract, and every case's state survives a reopen", () => {
  describeStoreContract({
    create: () => new SqliteStore(engine, { clock: CLOCK }),
    config: () => path,
    release(store: SyncStore) {
      const before = dumpStore(store);
      (store as SqliteStore).close();
      const again = openStore(path, () => new Date("2030-01-01T00:00:00Z"));
      expect(dumpStore(again)).toEqual(before);
      closeAll();
    },
  });
});

describe("SqliteStore", () => {
  afterEach(closeAll);

  it("ignores a caller's segment id; ids are never reused, also after a rejected insert", () => {
    const store = openStore();
    expect(store.secureLogSegmentInsert({ ...segment("a", 1n, 2n), segmentId: 9n }, [])).toBe(1n);
    expect(store.secureLogSegmentInsert(segment("a", 1n, 2n), [[1n, 0n]])).toBe(2n);
    expect(() => store.secureLogSegmentInsert(segment("a", 1n, 2n), [[1n, 0n]])).toThrow(
      "seqno 1 already belongs to segment 2",
    );
    store.close();
    expect(openStore().secureLogSegmentInsert(segment("a", 3n, 3n), [])).toBe(3n);
  });

  it("works in memory, and init again with the same path keeps the connection", () => {
    const store = openStore(":memory:");
    store.secureLogInsert(entry(1n));
    store.init(":memory:");
    expect(store.secureLogGlobalHead()).toBe(1n);
    // Another path: the first database is closed, the second starts empty.
    store.init(path);
    expect(store.secureLogGlobalHead()).toBeUndefined();
  });

  it("says which database it cannot open", () => {
    const store = new SqliteStore(engine);
    expect(() => store.init("/nowhere/x.db")).toThrow(/^cannot open '\/nowhere\/x.db': SQLITE_/);
    expect(() => store.secureLogGlobalHead()).toThrow("store not initialised");
  });

  describe("migrations", () => {
    it("records each migration once, with the clock's time, and reopening changes nothing", () => {
      openStore().close();
      const schema = () =>
        shell((db) =>
          engine.query(db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name", []),
        );
      const records = () =>
        shell((db) => engine.query(db, `SELECT version, applied FROM ${MIGRATIONS_TABLE}`, []));
      const first = { schema: schema(), records: records() };
      expect(cells(first.records.rows)).toEqual(
        MIGRATIONS.map((m) => [BigInt(m.version), "2026-01-02T03:04:05+00:00"]),
      );
      expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);

      const later = openStore(path, () => new Date("2031-05-05T00:00:00Z"));
      expect(later.tamperAttempts()).toEqual([]);
      expect(later.secureLogStreamGet("default")?.createdAtRfc3339).toBe(
        "2026-01-02T03:04:05+00:00",
      );
      later.close();
      expect({ schema: schema(), records: records() }).toEqual(first);
    });

    it("upgrades a database the reference created (its migrations 1-4) and keeps its rows", () => {
      shell((db) => {
        engine.execute(
          db,
          MIGRATIONS.slice(0, 4)
            .map((m) => m.sql)
            .join(";\n"),
        );
        engine.execute(
          db,
          `CREATE TABLE ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY,
             applied TEXT NOT NULL DEFAULT (datetime('now')));
           INSERT INTO ${MIGRATIONS_TABLE} (version) VALUES (1), (2), (3), (4);
           INSERT INTO secure_log_streams (name, tier, description, created_at)
             VALUES ('default', 'public', 'Default stream created automatically at init.',
                     '2025-12-31 23:59:59');
           INSERT INTO secure_log VALUES (7, 's', 'sess', 'boot', '2026-01-01T00:00:00+00:00',
             'ev', 'info', 'p', 'cbor', x'0101', zeroblob(32), x'${"01".repeat(32)}');
           INSERT INTO secure_log_segments (stream_id, seq_start, seq_end, merkle_root,
             last_entry_hash, prev_checkpoint_hash, closed_at)
             VALUES ('s', 7, 7, zeroblob(32), zeroblob(32), zeroblob(32), 'c');
           INSERT INTO secure_log_segment_entries VALUES (1, 7, 0);`,
        );
      });
      const store = openStore();
      expect(store.secureLogGet(7n)).toEqual(entry(7n));
      expect(store.secureLogSegmentForSeqno(7n)).toBe(1n);
      expect(store.secureLogStreamGet("default")?.createdAtRfc3339).toBe("2025-12-31 23:59:59");
      store.close();
      expect(shell((db) => appliedVersions(new Database(engine, db, path)))).toEqual([
        1, 2, 3, 4, 5, 6,
      ]);
    });

    it("refuses a database from a newer release", () => {
      openStore().close();
      shell((db) => engine.execute(db, `INSERT INTO ${MIGRATIONS_TABLE} VALUES (99, 'x')`));
      expect(() => openStore()).toThrow(
        /has schema version 99, newer than this store's 6: open it with the secure-log release/,
      );
    });
  });

  describe("u64 values: 2^63-1 is the largest stored, larger ones are refused", () => {
    const ABOVE = I64_MAX + 1n;

    it("round-trips 2^63-1 in every u64 column", () => {
      insertAsStored(entry(I64_MAX, "t"));
      const store = openStore();
      const seg = { ...segment("t", I64_MAX, I64_MAX) };
      expect(store.secureLogSegmentInsert(seg, [[I64_MAX, I64_MAX]])).toBe(1n);
      store.witnessLogInsert({ ...witness("t", "r"), segmentId: I64_MAX, seqEnd: I64_MAX });
      store.close();
      const again = openStore();
      expect(again.secureLogGet(I64_MAX)).toEqual(entry(I64_MAX, "t"));
      expect(again.secureLogRange("t", 0n, U64_MAX).map((r) => r.seqno)).toEqual([I64_MAX]);
      expect(again.secureLogGlobalHead()).toBe(I64_MAX);
      expect(again.secureLogSegmentGet(1n)).toMatchObject({ seqStart: I64_MAX, seqEnd: I64_MAX });
      expect(again.secureLogSegmentEntrySeqnos(1n)).toEqual([I64_MAX]);
      expect(again.secureLogSegmentForSeqno(I64_MAX)).toBe(1n);
      expect(again.secureLogSegmentLastSeqno("t")).toBe(I64_MAX);
      expect(again.witnessLogLatest("t")).toMatchObject({ segmentId: I64_MAX, seqEnd: I64_MAX });
    });

    it("refuses 2^63 and above with the field's name, writing nothing", () => {
      const store = openStore();
      const limit = "is above 9223372036854775807 (2^63-1), the largest integer SQLite stores";
      expect(() => store.secureLogInsert(entry(ABOVE))).toThrow(
        `seqno 9223372036854775808 ${limit}: store-sqlite cannot hold it`,
      );
      expect(() => store.secureLogInsert(entry(U64_MAX))).toThrow(`seqno ${U64_MAX} ${limit}`);
      expect(() => store.secureLogSegmentInsert(segment("t", 1n, ABOVE), [])).toThrow(
        `seq-end ${ABOVE} ${limit}`,
      );
      expect(() => store.secureLogSegmentInsert(segment("t", 1n, 2n), [[1n, ABOVE]])).toThrow(
        `segment entry leaf index ${ABOVE} ${limit}`,
      );
      expect(() => store.witnessLogInsert({ ...witness("t", "r"), segmentId: U64_MAX })).toThrow(
        `witness segment-id ${U64_MAX} ${limit}`,
      );
      expect(store.secureLogGlobalHead()).toBeUndefined();
      expect(store.secureLogSegmentsList("t")).toEqual([]);
      expect(store.witnessLogList("t")).toEqual([]);
      expect(store.secureLogSegmentInsert(segment("t", 1n, 2n), [])).toBe(1n);
    });

    it("answers lookups above 2^63-1 with nothing, as no row can have them", () => {
      insertAsStored(entry(I64_MAX));
      const store = openStore();
      expect(store.secureLogGet(ABOVE)).toBeUndefined();
      expect(store.secureLogGet(U64_MAX)).toBeUndefined();
      expect(store.secureLogRange("s", ABOVE, U64_MAX)).toEqual([]);
      expect(store.secureLogRange("s", I64_MAX, U64_MAX)).toHaveLength(1);
      expect(store.secureLogSegmentGet(U64_MAX)).toBeUndefined();
      expect(store.secureLogSegmentEntrySeqnos(U64_MAX)).toEqual([]);
      expect(store.secureLogSegmentForSeqno(U64_MAX)).toBeUndefined();
      expect(() => store.secureLogSegmentSetSignature(U64_MAX, new Uint8Array(1), "k")).toThrow(
        /^segment not found: 18446744073709551615$/,
      );
    });
  });

  describe("one transaction per write", () => {
    /** The engine, with calls failing from the moment `failAt` matches a statement. */
    function breaking(failAt: string, after: "throw" | "dead"): Engine {
      let broken = false;
      const check = (sql: string) => {
        if (sql.startsWith(failAt)) broken = true;
        if (broken) throw { payload: `SQLITE_IOERR (10): injected at ${failAt}` };
      };
      return {
        open: (p) => engine.open(p),
        close: (db) => engine.close(db),
        execute(db, sql) {
          if (after === "dead") check(sql);
          return engine.execute(db, sql);
        },
        executeMany(db, sql, rows) {
          check(sql);
          return engine.executeMany(db, sql, rows);
        },
        query(db, sql, params) {
          if (after === "dead") check(sql);
          return engine.query(db, sql, params);
        },
      };
    }

    it("rolls a segment back when its memberships fail", () => {
      const flaky = breaking("INSERT INTO secure_log_segment_entries", "throw");
      const store = openStore(path, CLOCK, flaky);
      expect(() => store.secureLogSegmentInsert(segment("a", 1n, 2n), [[1n, 0n]])).toThrow(
        "INSERT INTO secure_log_segment_entries: SQLITE_IOERR (10): injected",
      );
      expect(store.secureLogSegmentsList("a")).toEqual([]);
      store.close();
      expect(openStore().secureLogSegmentInsert(segment("a", 1n, 2n), [[1n, 0n]])).toBe(1n);
    });

    it("leaves no half segment when the process dies before COMMIT", async () => {
      const dying = breaking("INSERT INTO secure_log_segment_entries", "dead");
      const store = new SqliteStore(dying, { clock: CLOCK });
      store.init(path);
      store.secureLogInsert(entry(1n, "a"));
      expect(() => store.secureLogSegmentInsert(segment("a", 1n, 1n), [[1n, 0n]])).toThrow();
      // The dead connection is never closed; a new engine instance opens the file.
      const after = openStore(path, CLOCK, await nodeEngine(dir));
      expect(after.secureLogGlobalHead()).toBe(1n);
      expect(after.secureLogSegmentsList("a")).toEqual([]);
      expect(after.secureLogSegmentForSeqno(1n)).toBeUndefined();
    });
  });

  it("reads a row it did not write as an error naming the column", () => {
    openStore().close();
    shell((db) =>
      engine.execute(
        db,
        `INSERT INTO secure_log VALUES (1, 's', 'x', 'b', 't', 'e', 'loud', 'p', 'cbor', x'', x'', x'');
         -- The reference's bug (FORMAT §10.9): a u64 above 2^63-1 cast to s64 reads back negative.
         INSERT INTO secure_log VALUES (-1, 'neg', 'x', 'b', 't', 'e', 'info', 'p', 'cbor', x'', x'', x'');`,
      ),
    );
    const store = openStore();
    expect(() => store.secureLogGet(1n)).toThrow(
      'secure_log.severity holds "loud", not one of emergency, alert',
    );
    expect(() => store.secureLogLast("neg")).toThrow(
      'secure_log.seqno holds integer "-1", not a u64: the row was not written by this store',
    );
  });

  it("finds every row it looks up through an index (query plans)", () => {
    const store = openStore();
    store.close();
    const plans = shell((db) =>
      Object.entries(SQL).map(([name, sql]) => {
        const n = Math.max(0, ...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])));
        const params: SqlValue[] = Array.from({ length: n }, () => ({ tag: "null" }));
        const rows = engine.query(db, `EXPLAIN QUERY PLAN ${sql}`, params).rows;
        return [name, rows.map((r) => (r[3]?.tag === "text" ? r[3].val : "?"))] as const;
      }),
    );
    // Reading every row is the point of these: a scan in key order.
    const listsAll = new Set(["witnessStreams", "listStreams", "tamperAttempts", "gcWitnessAll"]);
    const fine = /^SCAN (CONSTANT ROW|j VIRTUAL TABLE)/;
    for (const [name, steps] of plans) {
      for (const step of steps) {
        if (listsAll.has(name) || fine.test(step)) continue;
        expect({ name, step }).not.toEqual({ name, step: expect.stringMatching(/^SCAN /) });
        expect({ name, step }).not.toEqual({ name, step: expect.stringMatching(/TEMP B-TREE/) });
      }
    }
    expect(Object.fromEntries(plans).memberOwners).toContainEqual(
      expect.stringMatching(
        /^SEARCH m USING (COVERING )?INDEX idx_secure_log_segment_entries_seqno_unique/,
      ),
    );
  });
});
