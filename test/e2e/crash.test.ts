// Killed mid-append: a child process (crash-child.ts) appends in a loop on a
// data directory and prints each acknowledged seqno; after enough of them the
// parent SIGKILLs it, wherever it is. A new instance must then reopen the data
// cleanly: the last acknowledged entry is there, at most the one append in
// flight went in as well (whole), every entry reads back as written, the
// chain verifies over the whole stream, and appends continue from head + 1.
// Twice per stack, on the same directory. The file store may find a torn final
// line, which opening cuts back (and reports on stderr); SQLite replays its WAL.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/paths";
import { prepareStack } from "../../scripts/start";
import { SQLITE_STORE } from "../../verify/stores";
import { WasmStack } from "../../verify/wasm-stack";
import { keystoreEnv } from "../../verify/workload";
import { CRASH_PRODUCER, CRASH_STREAM, crashEntry } from "./crash-child";

const CHILD = join(import.meta.dirname, "crash-child.ts");
/** Acknowledged appends to wait for before the kill, per round. */
const ACKNOWLEDGED = 40;
const ROUNDS = 2;
/** The kill comes up to this long after the wanted seqno is printed (about one append). */
const KILL_JITTER_MS = 10;
/** Give up on a child that prints nothing for this long. */
const STALL_MS = 120_000;

let workRoot: string;
beforeAll(async () => {
  workRoot = await mkdtemp(join(tmpdir(), "secure-log-crash-"));
});
afterAll(async () => {
  await rm(workRoot, { recursive: true, force: true });
});

/** Runs the child until it has printed `wanted` more seqnos, SIGKILLs it; returns every seqno printed. */
function appendUntilKilled(stackPath: string, dataDir: string, wanted: number): Promise<bigint[]> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, stackPath, dataDir], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let killed = false;
  const kill = () => {
    killed = true;
    child.kill("SIGKILL");
  };
  let stall = setTimeout(kill, STALL_MS);
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    clearTimeout(stall);
    stall = setTimeout(kill, STALL_MS);
    // A little later than the wanted line, so the kill lands anywhere in the next append.
    if (!killed && out.split("\n").length - 1 >= wanted) {
      killed = true;
      setTimeout(kill, Math.random() * KILL_JITTER_MS);
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(stall);
      // Only whole lines count: a seqno is printed in one synchronous write.
      const printed = out
        .split("\n")
        .slice(0, -1)
        .map((line) => BigInt(line));
      if (signal === "SIGKILL" && printed.length >= wanted) resolve(printed);
      else {
        const how = signal ?? `exit code ${code}`;
        reject(new Error(`crash child ended (${how}) after ${printed.length} seqnos:\n${err}`));
      }
    });
  });
}

describe.each(["secure-log-sqlite", "secure-log-file"])("%s, SIGKILLed mid-append", (name) => {
  let stack: WasmStack;
  let stackPath: string;
  beforeAll(async () => {
    // Built, composed and transpiled here, so the child finds it all cached.
    stackPath = await prepareStack(name);
    stack = await WasmStack.load(stackPath);
  }, 900_000);

  it(`reopens with every acknowledged entry whole and appends on (${ROUNDS} crashes)`, async () => {
    const dataDir = join(workRoot, name);
    await mkdir(dataDir);
    const dataFile = join(dataDir, stack.store.dataFile);
    let head = 0n;
    for (let round = 1; round <= ROUNDS; round++) {
      const printed = await appendUntilKilled(stackPath, dataDir, ACKNOWLEDGED);
      const last = printed.at(-1)!;
      expect(printed[0]).toBe(head + 1n);

      // What the kill left on disk.
      const before = await readFile(dataFile);
      const complete = before.lastIndexOf(0x0a) + 1;
      if (stack.store === SQLITE_STORE) {
        // Killed with the database open: the committed entries are (also) in the WAL.
        expect(existsSync(`${dataFile}-wal`)).toBe(true);
      }

      const api = await stack.instantiate({ dataDir, env: keystoreEnv("ed25519") });
      await api.open(stack.storeConfig);
      if (stack.store !== SQLITE_STORE) {
        // A torn final line (a write the kill interrupted) is cut back, nothing else.
        expect((await readFile(dataFile)).equals(before.subarray(0, complete))).toBe(true);
      }

      // The append in flight at the kill either went in whole or not at all.
      head = (await api.head(CRASH_STREAM))!;
      expect(head).toBeGreaterThanOrEqual(last);
      expect(head).toBeLessThanOrEqual(last + 1n);
      for (let seqno = 1n; seqno <= head; seqno++) {
        const f = await api.read(seqno);
        const want = crashEntry(seqno);
        expect([f.seqno, f.streamId, f.eventType, f.producer]).toEqual([
          seqno,
          CRASH_STREAM,
          want.eventType,
          CRASH_PRODUCER,
        ]);
        expect(f.payload).toEqual(want.payload);
      }
      await api.verifyChain(CRASH_STREAM, 1n, head);

      const next = crashEntry(head + 1n);
      const r = await api.append(
        CRASH_STREAM,
        next.eventType,
        "info",
        CRASH_PRODUCER,
        next.payload,
      );
      expect(r.seqno).toBe(head + 1n);
      await api.verifyChain(CRASH_STREAM, 1n, r.seqno);
      head = r.seqno;
      // Hand the data to the next child: store-sqlite closes its database when
      // `open` names another; the file store holds nothing open between calls.
      if (stack.store === SQLITE_STORE) await api.open(":memory:");
    }
  }, 600_000);
});
