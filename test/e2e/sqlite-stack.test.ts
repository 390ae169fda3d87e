// The composed SQLite stack end to end: the harness scenario (a new instance
// on the same database and a raw edit of its bytes included), then the
// database file as Debian's sqlite3 shell sees it once the stack has closed
// it: intact, holding exactly what was appended, refusing UPDATE and DELETE of
// history (and recording the attempts), while a raw edit of its bytes, which
// SQLite cannot see, is caught by verify-chain.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareStack } from "../../scripts/start";
import { ZERO_HASH, type Severity } from "../../src/core/model";
import { allChecks, type VerifyReport } from "../../verify/checks";
import { failsWith } from "../../verify/expect";
import { runScenario } from "../../verify/scenario";
import type { StackApi } from "../../verify/stack-api";
import { SQLITE_STORE } from "../../verify/stores";
import { WasmStack } from "../../verify/wasm-stack";
import { keystoreEnv, payload } from "../../verify/workload";

const failures = (r: VerifyReport) =>
  allChecks(r)
    .filter((c) => !c.ok)
    .map((c) => `${c.section} / ${c.name}: ${c.detail}`);

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();

let workRoot: string;
let count = 0;
async function freshDir(): Promise<string> {
  const dir = join(workRoot, `d${++count}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

let stack: WasmStack;

beforeAll(async () => {
  workRoot = await mkdtemp(join(tmpdir(), "secure-log-e2e-sqlite-"));
  stack = await WasmStack.load(await prepareStack("secure-log-sqlite"));
}, 900_000);
afterAll(async () => {
  await rm(workRoot, { recursive: true, force: true });
});

/**
 * The stack has no close (0.1.0 has none), but store-sqlite closes its
 * database, checkpointing and deleting the WAL, when `open` names another;
 * ":memory:" keeps nothing on disk. After this no instance holds the file, so
 * a native process may open it.
 */
async function closeDatabase(api: StackApi): Promise<void> {
  await api.open(":memory:");
}

it("passes the scenario, a new instance on the same database included", async () => {
  const report = await runScenario(stack, { workDir: await freshDir() });
  expect(failures(report)).toEqual([]);
  expect(allChecks(report).length).toBeGreaterThan(30);
  const reopen = report.sections.find((s) => s.title === "new instance on the same directory");
  expect(reopen?.checks.map((c) => c.name)).toContain("append continues the chain");
  const tamper = allChecks(report).find((c) => c.name === "flip one byte of a stored entry");
  // The scenario's instances never close, so the edit is in the WAL's frames.
  expect(tamper?.detail).toMatch(
    /secure-log\.db-wal page [\d, ]+ \(\d+ of \d+ frames, checksums resealed\)/,
  );
}, 600_000);

describe("the database file, in Debian's sqlite3 shell", () => {
  interface Appended {
    seqno: bigint;
    streamId: string;
    eventType: string;
    severity: Severity;
    payload: Uint8Array;
    entryHash: Uint8Array;
    prevEntryHash: Uint8Array;
  }
  const STREAMS = ["shell.a", "shell.b"];
  const SIZES = [0, 1, 40, 300, 5000, 70_000];
  const SEVERITY: Severity[] = ["info", "warning", "error"];
  const appended: Appended[] = [];
  let dataDir: string;
  let dbPath: string;
  const env = keystoreEnv("ed25519");

  function shell(sql: string, json = false): string {
    const args = [...(json ? ["-json"] : []), "-bail", dbPath, sql];
    const r = spawnSync("sqlite3", args, { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.error !== undefined) {
      throw new Error(
        `cannot run Debian's sqlite3 shell (apt-get install -y sqlite3): ${r.error.message}`,
      );
    }
    if (r.status !== 0) throw new Error(`sqlite3 ${dbPath}: ${r.stderr}`);
    return r.stdout.trim();
  }
  const query = <T>(sql: string): T[] => {
    const out = shell(sql, true);
    return out === "" ? [] : (JSON.parse(out) as T[]);
  };

  /** A new instance on the database, opened. */
  async function reopen(): Promise<StackApi> {
    const api = await stack.instantiate({ dataDir, env });
    await api.open(stack.storeConfig);
    return api;
  }

  interface EntryRow {
    seqno: number;
    stream_id: string;
    event_type: string;
    severity: string;
    producer: string;
    payload_encoding: string;
    len: number;
    payload: string;
    prev: string;
    hash: string;
  }
  const ENTRY_ROWS =
    "SELECT seqno, stream_id, event_type, severity, producer, payload_encoding, " +
    "length(payload) AS len, hex(payload) AS payload, hex(prev_entry_hash) AS prev, " +
    "hex(entry_hash) AS hash FROM secure_log ORDER BY seqno";
  const expectedRows = (): EntryRow[] =>
    appended.map((e) => ({
      seqno: Number(e.seqno),
      stream_id: e.streamId,
      event_type: e.eventType,
      severity: e.severity,
      producer: "e2e",
      payload_encoding: "cbor",
      len: e.payload.length,
      payload: hex(e.payload),
      prev: hex(e.prevEntryHash),
      hash: hex(e.entryHash),
    }));

  beforeAll(async () => {
    dataDir = await freshDir();
    dbPath = join(dataDir, SQLITE_STORE.dataFile);
    const api = await stack.instantiate({ dataDir, env });
    await api.open(stack.storeConfig);
    const last = new Map<string, Uint8Array>();
    for (const [i, size] of SIZES.entries()) {
      for (const streamId of STREAMS) {
        const e = {
          streamId,
          eventType: `shell.${i}`,
          severity: SEVERITY[i % SEVERITY.length]!,
          payload: payload(size, appended.length),
        };
        const r = await api.append(e.streamId, e.eventType, e.severity, "e2e", e.payload);
        appended.push({ ...e, ...r, prevEntryHash: last.get(streamId) ?? ZERO_HASH });
        last.set(streamId, r.entryHash);
      }
    }
    await api.closeSegment(STREAMS[0]!);
    // The first instance is dropped unclosed (its writes are in the WAL); a
    // second one recovers them, checks them and closes the file.
    const second = await reopen();
    for (const id of STREAMS) await second.verifyChain(id, 1n, appended.at(-1)!.seqno);
    await closeDatabase(second);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  }, 120_000);

  it("opens it: integrity_check is ok and every row is what was appended", () => {
    expect(shell("PRAGMA integrity_check")).toBe("ok");
    expect(shell("PRAGMA journal_mode")).toBe("wal");
    expect(shell("SELECT count(*) FROM secure_log")).toBe(String(appended.length));
    expect(query<EntryRow>(ENTRY_ROWS)).toEqual(expectedRows());
    const segments = query<{ stream_id: string; seq_start: number; seq_end: number }>(
      "SELECT stream_id, seq_start, seq_end FROM secure_log_segments",
    );
    const sealed = appended.filter((e) => e.streamId === STREAMS[0]);
    expect(segments).toEqual([
      {
        stream_id: STREAMS[0],
        seq_start: Number(sealed[0]!.seqno),
        seq_end: Number(sealed.at(-1)!.seqno),
      },
    ]);
  });

  it("refuses UPDATE and DELETE of entries and records each attempt", async () => {
    const [updated, deleted] = [appended[1]!.seqno, appended[2]!.seqno];
    const out = shell(
      `UPDATE secure_log SET payload = x'00', entry_hash = zeroblob(32) WHERE seqno = ${updated};` +
        `SELECT changes();` +
        `DELETE FROM secure_log WHERE seqno = ${deleted};` +
        `SELECT changes();`,
    );
    expect(out.split("\n")).toEqual(["0", "0"]);
    expect(query<EntryRow>(ENTRY_ROWS)).toEqual(expectedRows());
    const attempts = query<Record<string, string>>(
      "SELECT table_name, operation, row_key, detail FROM tamper_attempts ORDER BY id",
    );
    expect(attempts).toEqual([
      {
        table_name: "secure_log",
        operation: "update",
        row_key: String(updated),
        detail: "changed: payload, entry_hash",
      },
      { table_name: "secure_log", operation: "delete", row_key: String(deleted), detail: "" },
    ]);
    // The shell has closed the file (and checkpointed it); the stack still verifies it.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    const api = await reopen();
    for (const id of STREAMS) await api.verifyChain(id, 1n, appended.at(-1)!.seqno);
    expect((await api.read(updated)).payload).toEqual(appended[1]!.payload);
    await closeDatabase(api);
  });

  it("a raw edit of the file's bytes is caught by verify-chain, naming the seqno", async () => {
    const target = appended.find((e) => e.streamId === STREAMS[0] && e.payload.length === 300)!;
    const detail = await stack.tamperEntry(dataDir, target);
    // The database was closed, so the only copy is in the file itself.
    expect(detail).toMatch(
      /^secure-log\.db page [\d, ]+: payload byte 0x[0-9a-f]{2} → 0x[0-9a-f]{2}$/,
    );
    // SQLite sees nothing wrong: the record is well formed, pages carry no checksum.
    expect(shell("PRAGMA integrity_check")).toBe("ok");

    const api = await reopen();
    const read = await api.read(target.seqno);
    const flipped = Uint8Array.from(target.payload);
    flipped[0]! ^= 0x01;
    expect(read.payload).toEqual(flipped);
    const to = appended.at(-1)!.seqno;
    const e = await failsWith("chain-broken", () => api.verifyChain(STREAMS[0]!, 1n, to));
    expect(e.val.seqno).toBe(target.seqno);
    await api.verifyChain(STREAMS[1]!, 1n, to);
    await closeDatabase(api);
  });
});
