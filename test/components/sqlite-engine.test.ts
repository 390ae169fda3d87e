// components/sqlite-engine end to end: built by buildSqliteEngine(), run in
// Node through `jco transpile` and preview2-shim with a temporary preopened
// directory per test, as a WASI host runs it. Besides behaviour, it checks
// that linear memory stays flat over a long call loop (the glue frees every
// argument and, in post-return, every result) and logs the costs it measures.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as shim from "@bytecodealliance/preview2-shim";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildSqliteEngine } from "../../scripts/lib/build-sqlite-engine";
import { ROOT } from "../../scripts/lib/paths";
import { packageVersion } from "../../scripts/lib/toolchain";

type Value =
  | { tag: "null" }
  | { tag: "integer"; val: bigint }
  | { tag: "real"; val: number }
  | { tag: "text"; val: string }
  | { tag: "blob"; val: Uint8Array };

interface Rows {
  columns: string[];
  rows: Value[][];
}

/** secure-log:sqlite/engine@0.1.0 as jco lifts it; an `err` throws with it as the message. */
interface Engine {
  open(path: string): number;
  execute(db: number, sql: string): void;
  executeMany(db: number, sql: string, params: Value[][]): bigint;
  query(db: number, sql: string, params: Value[]): Rows;
  close(db: number): void;
}

interface Instance {
  engine: Engine;
  /** Bytes of the engine's linear memory now. */
  memoryBytes(): number;
}

type Instantiate = (
  getCoreModule: (path: string) => Promise<WebAssembly.Module>,
  imports: Record<string, unknown>,
  instantiateCore: (m: WebAssembly.Module, i: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
) => Promise<Record<string, Engine>>;

/** preview2-shim's Node filesystem (its typings resolve to the browser build). */
interface NodeFilesystem {
  createFilesystem(config: { preopens: Record<string, string> }): {
    types: { Descriptor: { prototype: Record<string, (...args: unknown[]) => unknown> } };
    preopens: unknown;
  };
}

const ENGINE = "secure-log:sqlite/engine@0.1.0";
const int = (val: bigint | number): Value => ({ tag: "integer", val: BigInt(val) });
const real = (val: number): Value => ({ tag: "real", val });
const text = (val: string): Value => ({ tag: "text", val });
const blob = (val: Iterable<number>): Value => ({ tag: "blob", val: Uint8Array.from(val) });
const NULL: Value = { tag: "null" };

let instantiate: Instantiate;
let transpiledDir: string;
const coreModules = new Map<string, Promise<WebAssembly.Module>>();
const dirs: string[] = [];

/** `jco transpile` output for this exact wasm (and jco), kept in .cache/jco/ by its hash. */
async function transpileCached(wasmPath: string): Promise<string> {
  const wasm = readFileSync(wasmPath);
  const jcoVersion = packageVersion("@bytecodealliance/jco");
  const hash = createHash("sha256").update(jcoVersion).update(wasm).digest("hex").slice(0, 24);
  const dir = join(ROOT, ".cache", "jco", `sqlite-engine-${hash}`);
  if (existsSync(join(dir, "sqlite-engine.js"))) return dir;
  const { transpile } = await import("@bytecodealliance/jco");
  const { files } = await transpile(wasm, {
    name: "sqlite-engine",
    instantiation: "async",
    quiet: true,
  });
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(tmp, name)), { recursive: true });
    writeFileSync(join(tmp, name), bytes);
  }
  renameSync(tmp, dir);
  return dir;
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sqlite-engine-"));
  dirs.push(dir);
  return dir;
}

/** A fresh engine instance whose only preopened directory is `hostDir`, seen as /data. */
async function instance(hostDir: string): Promise<Instance> {
  const { createFilesystem } = shim.filesystem as unknown as NodeFilesystem;
  const fs = createFilesystem({ preopens: { "/data": hostDir } });
  const imports: Record<string, unknown> = {};
  const interfaces: Record<string, Record<string, unknown>> = { ...shim, filesystem: fs };
  for (const [pkg, ifaces] of Object.entries(interfaces)) {
    for (const [name, iface] of Object.entries(ifaces)) {
      const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      imports[`wasi:${pkg}/${kebab}`] = iface;
    }
  }
  let memory: WebAssembly.Memory | undefined;
  const exports = await instantiate(
    (path) => {
      let module = coreModules.get(path);
      if (module === undefined) {
        module = WebAssembly.compile(readFileSync(join(transpiledDir, path)));
        coreModules.set(path, module);
      }
      return module;
    },
    imports,
    async (module, moduleImports) => {
      const inst = await WebAssembly.instantiate(module, moduleImports);
      if (`${ENGINE}#query` in inst.exports) memory = inst.exports.memory as WebAssembly.Memory;
      return inst;
    },
  );
  const engine = exports[ENGINE];
  if (engine === undefined || memory === undefined) throw new Error(`no ${ENGINE} export`);
  const mem = memory;
  return { engine, memoryBytes: () => mem.buffer.byteLength };
}

/** Debian's sqlite3 CLI on a database file, installed first if it is missing and we are root. */
function sqliteCli(dbPath: string, sql: string): string {
  let r = spawnSync("sqlite3", [dbPath, sql], { encoding: "utf8" });
  if (r.error !== undefined && process.getuid?.() === 0) {
    const wait = ["-o", "DPkg::Lock::Timeout=600"];
    spawnSync("apt-get", [...wait, "update"], { stdio: "ignore" });
    spawnSync("apt-get", [...wait, "install", "-y", "sqlite3"], { stdio: "ignore" });
    r = spawnSync("sqlite3", [dbPath, sql], { encoding: "utf8" });
  }
  if (r.error !== undefined) {
    throw new Error(`sqlite3 CLI: ${r.error.message} (apt-get install -y sqlite3)`);
  }
  if (r.status !== 0) throw new Error(`sqlite3 ${dbPath}: ${r.stderr}`);
  return r.stdout.trim();
}

function perSecond(count: number, ms: number): string {
  return Math.round((count / ms) * 1000).toLocaleString("en");
}

beforeAll(async () => {
  const started = performance.now();
  const build = await buildSqliteEngine();
  const buildMs = performance.now() - started;
  console.log(
    `sqlite-engine: ${build.cached ? "cached" : "compiled"} build ${buildMs.toFixed(0)} ms`,
  );
  transpiledDir = await transpileCached(build.wasmPath);
  const module = (await import(pathToFileURL(join(transpiledDir, "sqlite-engine.js")).href)) as {
    instantiate: Instantiate;
  };
  instantiate = module.instantiate;
}, 900_000);

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("sqlite-engine component", () => {
  it("inserts 1000 rows in one execute-many call and reads back every value type", async () => {
    const { engine } = await instance(dataDir());
    const db = engine.open("/data/values.db");
    engine.execute(
      db,
      `CREATE TABLE t (id INTEGER PRIMARY KEY, v ANY) STRICT;
       CREATE TABLE bulk (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, data BLOB);`,
    );

    const values: Value[] = [
      NULL,
      int(-(2n ** 63n)),
      int(2n ** 63n - 1n),
      int(0),
      real(Math.PI),
      real(-1.5e-300),
      real(Number.POSITIVE_INFINITY),
      text("héllo wörld — ☃ 日本語 🦀 e\u0301"),
      text(""),
      text("nul\u0000inside"),
      blob([]),
      blob(Array.from({ length: 256 }, (_, i) => i)),
    ];
    const inserted = engine.executeMany(
      db,
      "INSERT INTO t (id, v) VALUES (?1, ?2)",
      values.map((v, i) => [int(i), v]),
    );
    expect(inserted).toBe(BigInt(values.length));
    const back = engine.query(db, "SELECT v, typeof(v) FROM t ORDER BY id", []);
    expect(back.columns).toEqual(["v", "typeof(v)"]);
    expect(back.rows.map((r) => r[0])).toEqual(values);
    expect(back.rows.map((r) => r[1])).toEqual(
      [
        "null",
        "integer",
        "integer",
        "integer",
        "real",
        "real",
        "real",
        "text",
        "text",
        "text",
        "blob",
        "blob",
      ].map(text),
    );

    const rows = Array.from({ length: 1000 }, (_, i) => [
      int(i),
      text(`name-${i}-ü`),
      i % 7 === 0 ? NULL : real(i / 3),
      blob([i & 0xff, i >> 8]),
    ]);
    const started = performance.now();
    expect(engine.executeMany(db, "INSERT INTO bulk VALUES (?, ?, ?, ?)", rows)).toBe(1000n);
    const ms = performance.now() - started;
    console.log(
      `execute-many: 1000 rows, durable commit, ${ms.toFixed(1)} ms (${perSecond(1000, ms)} rows/s)`,
    );

    const all = engine.query(db, "SELECT id, name, score, data FROM bulk ORDER BY id", []);
    expect(all.columns).toEqual(["id", "name", "score", "data"]);
    expect(all.rows).toEqual(rows);
    const one = engine.query(db, "SELECT name FROM bulk WHERE id = ? OR name = ?", [
      int(500),
      text("name-7-ü"),
    ]);
    expect(one.rows).toEqual([[text("name-7-ü")], [text("name-500-ü")]]);
    expect(engine.query(db, "SELECT * FROM bulk WHERE id < 0", [])).toEqual({
      columns: ["id", "name", "score", "data"],
      rows: [],
    });
    engine.close(db);
  });

  it("returns SQLite errors as err strings and stays usable", async () => {
    const dir = dataDir();
    const { engine } = await instance(dir);
    const db = engine.open("/data/errors.db");
    engine.execute(db, "CREATE TABLE u (k TEXT PRIMARY KEY, n INTEGER NOT NULL)");
    engine.executeMany(db, "INSERT INTO u VALUES (?, ?)", [[text("a"), int(1)]]);

    expect(() => engine.query(db, "SELEC 1", [])).toThrow(
      'SQLITE_ERROR (1): near "SELEC": syntax error',
    );
    expect(() => engine.execute(db, "CREATE TABLE v (x); INSERT INTO nowhere VALUES (1)")).toThrow(
      "SQLITE_ERROR (1): no such table: nowhere",
    );
    expect(() =>
      engine.executeMany(db, "INSERT INTO u VALUES (?, ?)", [[text("a"), int(2)]]),
    ).toThrow("SQLITE_CONSTRAINT (1555): UNIQUE constraint failed: u.k");
    // A batch is atomic: the second row fails, so the first is not kept either.
    expect(() =>
      engine.executeMany(db, "INSERT INTO u VALUES (?, ?)", [
        [text("b"), int(2)],
        [text("c"), NULL],
      ]),
    ).toThrow("SQLITE_CONSTRAINT (1299): NOT NULL constraint failed: u.n");
    expect(() => engine.executeMany(db, "INSERT INTO u VALUES (?, ?)", [[text("d")]])).toThrow(
      "engine: 1 values given for a statement with 2 parameters",
    );
    expect(() => engine.query(db, "SELECT 1; SELECT 2", [])).toThrow(
      "engine: expected one SQL statement",
    );
    expect(() => engine.executeMany(db, "INSERT INTO nowhere VALUES (?)", [])).toThrow(
      "no such table: nowhere",
    );
    expect(engine.executeMany(db, "INSERT INTO u VALUES (?, ?)", [])).toBe(0n);
    expect(() => engine.query(db, "SELECT CAST(x'ff' AS TEXT) AS bad", [])).toThrow(
      "engine: column 'bad' holds text that is not valid UTF-8",
    );
    expect(() => engine.query(db + 1000, "SELECT 1", [])).toThrow(
      `engine: no open connection ${db + 1000}`,
    );
    expect(() => engine.open("/nowhere/x.db")).toThrow("SQLITE_CANTOPEN (14)");
    writeFileSync(
      join(dir, "junk.db"),
      "this is not a database, just some text long enough to have a header",
    );
    expect(() => engine.open("/data/junk.db")).toThrow(
      "SQLITE_NOTADB (26): file is not a database",
    );

    expect(engine.query(db, "SELECT k, n FROM u ORDER BY k", []).rows).toEqual([
      [text("a"), int(1)],
    ]);
    engine.execute(db, "BEGIN; INSERT INTO u VALUES ('x', 9)");
    expect(engine.executeMany(db, "UPDATE u SET n = n + ?", [[int(1)], [int(1)]])).toBe(4n);
    engine.execute(db, "ROLLBACK");
    expect(engine.query(db, "SELECT k, n FROM u", []).rows).toEqual([[text("a"), int(1)]]);
    engine.close(db);
    expect(() => engine.close(db)).toThrow(`engine: no open connection ${db}`);
  });

  it("keeps data across instances, after a crash, and for Debian's sqlite3", async () => {
    const dir = dataDir();
    const first = await instance(dir);
    const db = first.engine.open("/data/log.db");
    first.engine.execute(db, "CREATE TABLE entries (seq INTEGER PRIMARY KEY, body BLOB NOT NULL)");
    const rows = Array.from({ length: 300 }, (_, i) => [int(i), blob([i & 0xff, 1, 2, 3])]);
    first.engine.executeMany(db, "INSERT INTO entries VALUES (?, ?)", rows);
    // The first instance is abandoned without close, as a killed process would
    // be: its WAL is on disk, no lock file is left behind.
    expect(readdirSync(dir).sort()).toEqual(["log.db", "log.db-wal"]);

    const second = await instance(dir);
    const db2 = second.engine.open("/data/log.db");
    expect(second.engine.query(db2, "SELECT count(*) FROM entries", []).rows).toEqual([[int(300)]]);
    second.engine.executeMany(db2, "INSERT INTO entries VALUES (?, ?)", [[int(300), blob([9])]]);
    second.engine.close(db2);
    expect(readdirSync(dir)).toEqual(["log.db"]);

    const third = await instance(dir);
    const db3 = third.engine.open("/data/log.db");
    expect(third.engine.query(db3, "SELECT count(*), max(seq) FROM entries", []).rows).toEqual([
      [int(301), int(300)],
    ]);
    third.engine.close(db3);

    const dbPath = join(dir, "log.db");
    expect(sqliteCli(dbPath, "PRAGMA integrity_check;")).toBe("ok");
    expect(sqliteCli(dbPath, "PRAGMA journal_mode; SELECT count(*) FROM entries;")).toBe(
      "wal\n301",
    );
  });

  it("syncs the WAL before a write returns", async () => {
    const { createFilesystem } = shim.filesystem as unknown as NodeFilesystem;
    const proto = createFilesystem({ preopens: {} }).types.Descriptor.prototype;
    const { sync, syncData } = proto;
    let syncs = 0;
    proto.sync = function (this: unknown, ...args: unknown[]) {
      syncs++;
      return sync!.apply(this, args);
    };
    proto.syncData = function (this: unknown, ...args: unknown[]) {
      syncs++;
      return syncData!.apply(this, args);
    };
    try {
      const { engine } = await instance(dataDir());
      const db = engine.open("/data/sync.db");
      engine.execute(db, "CREATE TABLE t (x)");
      for (let i = 0; i < 5; i++) {
        const before = syncs;
        engine.executeMany(db, "INSERT INTO t VALUES (?)", [[int(i)], [int(i + 1)]]);
        expect(syncs).toBeGreaterThan(before);
      }
      engine.close(db);
    } finally {
      proto.sync = sync!;
      proto.syncData = syncData!;
    }
  });

  it("holds linear memory flat over 20,000 calls", async () => {
    const { engine, memoryBytes } = await instance(dataDir());
    const db = engine.open("/data/memory.db");
    engine.execute(db, "CREATE TABLE m (id INTEGER PRIMARY KEY, t TEXT, b BLOB, r REAL)");
    engine.executeMany(
      db,
      "INSERT INTO m VALUES (?, ?, ?, ?)",
      Array.from({ length: 50 }, (_, i) => [
        int(i),
        text(`row ${i} ✓`),
        blob([i, i, i]),
        real(i / 7),
      ]),
    );
    const round = (i: number): void => {
      const rows = engine.query(
        db,
        "SELECT id, t, b, r, NULL FROM m WHERE id >= ? AND t <> ? AND b <> ? LIMIT 10",
        [int(i % 40), text("nothing ✗"), blob([1, 2, 3, 4])],
      );
      if (rows.rows.length !== 10) throw new Error(`round ${i}: ${rows.rows.length} rows`);
      if (i % 100 === 0) {
        engine.executeMany(db, "UPDATE m SET t = ? WHERE id = ?", [
          [text(`round ${i}`), int(i % 50)],
        ]);
        expect(() => engine.query(db, "SELECT nope FROM m", [])).toThrow("no such column: nope");
        // Errors after some rows were read, or some rows were written.
        expect(() =>
          engine.query(db, "SELECT iif(id < 5, t, CAST(x'ff' AS TEXT)) AS t FROM m", []),
        ).toThrow("not valid UTF-8");
        expect(() =>
          engine.executeMany(db, "INSERT INTO m (id, t) VALUES (?, ?)", [
            [int(1000 + i), text("new")],
            [int(0), text("duplicate")],
          ]),
        ).toThrow("UNIQUE constraint failed: m.id");
      }
    };
    for (let i = 0; i < 2000; i++) round(i);
    const before = memoryBytes();
    for (let i = 0; i < 20_000; i++) round(i);
    expect(memoryBytes()).toBe(before);

    const calls = 20_000;
    const started = performance.now();
    for (let i = 0; i < calls; i++) engine.query(db, "SELECT 1", []);
    const us = ((performance.now() - started) * 1000) / calls;
    console.log(`query 'SELECT 1': ${us.toFixed(1)} µs per call; memory ${before / 65536} pages`);
    expect(memoryBytes()).toBe(before);
    engine.close(db);
  }, 120_000);

  it("measures execute-many throughput with durable commits", async () => {
    const { engine } = await instance(dataDir());
    const db = engine.open("/data/bench.db");
    engine.execute(
      db,
      "CREATE TABLE e (seq INTEGER PRIMARY KEY, stream TEXT, hash BLOB, body BLOB)",
    );
    const row = (i: number): Value[] => [
      int(i),
      text("audit"),
      blob(new Uint8Array(32).fill(i & 0xff)),
      blob(new Uint8Array(200)),
    ];
    let next = 0;
    for (const [calls, size] of [
      [20, 1],
      [20, 100],
      [1, 10_000],
    ] as const) {
      const batches = Array.from({ length: calls }, () =>
        Array.from({ length: size }, () => row(next++)),
      );
      const started = performance.now();
      for (const rows of batches) engine.executeMany(db, "INSERT INTO e VALUES (?, ?, ?, ?)", rows);
      const ms = performance.now() - started;
      console.log(
        `execute-many: ${calls} × ${size} rows: ${(ms / calls).toFixed(2)} ms per call, ` +
          `${perSecond(calls * size, ms)} rows/s`,
      );
    }
    expect(engine.query(db, "SELECT count(*) FROM e", []).rows).toEqual([[int(next)]]);
    engine.close(db);
  }, 120_000);
});
