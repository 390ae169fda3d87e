// tail --follow and the data-directory lock, on the SQLite stack: a follower
// sees other processes' appends; concurrent commands take turns; a dead
// holder's lock is taken over (by one taker at a time); a live one makes a
// waiter give up with exit 3, naming the pid.

import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../cli/lock";
import { prepareStack } from "../../scripts/start";
import { cli, ROOT, SEED, spawnCli, tempDir, type Running } from "./run";

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
let lockPath: string;
const run = (args: string[], env: Record<string, string> = {}) =>
  cli(["--data", data, ...args], { env });
const started: Running[] = [];
/** A CLI process in the background, killed at the end if a failed test left it running. */
function background(args: string[]): Running {
  const f = spawnCli(["--data", data, ...args]);
  started.push(f);
  return f;
}

async function append(payload: string, ...more: string[]): Promise<number> {
  const r = await run(["--json", "append", payload, ...more]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { seqno: number }).seqno;
}

/** A lock file as cli/lock.ts writes one, for a holder `pid` on this host. */
const lockFor = (pid: number) =>
  JSON.stringify({
    pid,
    host: hostname(),
    command: "secure-log verify",
    since: new Date().toISOString(),
    token: `test-${pid}`,
  });

/** A pid that no process has any more. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

/** Resolves once the lock file names `command` as its holder. */
async function waitForLock(command: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await readFile(lockPath, "utf8").catch(() => "");
    if (text.includes(`"command":"${command}"`)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no lock by ${command} within ${timeoutMs} ms`);
}

beforeAll(async () => {
  await prepareStack("secure-log-sqlite");
  ({ dir, cleanup } = await tempDir());
  data = join(dir, "data");
  lockPath = join(data, LOCK_FILE);
  const r = await run(["init"]);
  expect(r.code, r.stderr).toBe(0);
}, 600_000);

afterAll(async () => {
  for (const f of started) if (f.child.exitCode === null) f.child.kill("SIGKILL");
  await cleanup();
});

describe("tail --follow (sqlite stack)", () => {
  it("prints the entries other processes append, in seqno order; SIGINT exits 0", async () => {
    const first = await append("before the follow");
    const f = background(["tail", "-f", "--interval", "500"]);
    await f.waitFor(/^SEQNO +TIME.*\n.*before the follow\n/m);
    const a = await append("appended while following", "--event-type", "deploy");
    const other = await append("another stream's entry", "--stream", "ops");
    const b = await append("and one more");
    await f.waitFor(/and one more/);
    f.child.kill("SIGINT");
    const r = await f.exited;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const rows = r.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^SEQNO +TIME +STREAM +SEVERITY +EVENT +PRODUCER +PAYLOAD$/);
    expect(rows.slice(1).map((l) => Number(l.split(/\s+/)[0]))).toEqual([first, a, b]);
    expect(rows[2]).toMatch(/^\d+ +\S+ +default +info +deploy +secure-log-cli +appended while/);
    expect(r.stdout).not.toContain("another stream's entry");
    expect(other).toBe(a + 1);
    expect(existsSync(lockPath)).toBe(false);
  });

  it("--json follows as one JSON object per line; SIGTERM exits 0", async () => {
    const f = background(["--json", "tail", "--follow", "--stream", "ops", "-n", "1"]);
    await f.waitFor(/another stream's entry/);
    const s = await append('{"job":"backup","ok":true}', "--stream", "ops", "--severity", "notice");
    await f.waitFor(/backup/);
    f.child.kill("SIGTERM");
    const r = await f.exited;
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map((e) => e["payloadText"])).toEqual([
      "another stream's entry",
      '{"job":"backup","ok":true}',
    ]);
    expect(entries[1]).toMatchObject({ seqno: s, streamId: "ops", severity: "notice" });
  });

  it("SIGTERM to the bin launcher alone reaches the follower: exit 0, lock released", async () => {
    const f = spawnCli(["--data", data, "tail", "-f", "--interval", "300"], { launcher: true });
    started.push(f);
    await f.waitFor(/^SEQNO +TIME/m);
    f.child.kill("SIGTERM");
    const r = await f.exited;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lockPath)).toBe(false);
  });

  it("-f -n 0 shows only new entries; --interval needs --follow", async () => {
    const bad = await run(["tail", "--interval", "100"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--interval needs --follow");
    const f = background(["--json", "tail", "-f", "-n", "0", "--interval", "300"]);
    // Once the follower holds the lock it has read (or is reading) the head,
    // and the append below waits for it.
    await waitForLock("secure-log tail --follow");
    const s = await append("only this one");
    await f.waitFor(/only this one/);
    f.child.kill("SIGINT");
    const r = await f.exited;
    expect(r.code, r.stderr).toBe(0);
    const seqnos = r.stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { seqno: number }).seqno);
    expect(seqnos).toEqual([s]);
  });
});

describe("the data-directory lock", () => {
  it("concurrent commands wait for each other and all succeed", async () => {
    const runs = await Promise.all(
      [1, 2, 3].map((i) => run(["--json", "append", `concurrent ${i}`])),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const seqnos = runs.map((r) => (JSON.parse(r.stdout) as { seqno: number }).seqno);
    const [low] = [...seqnos].sort((x, y) => x - y);
    expect([...seqnos].sort((x, y) => x - y)).toEqual([low, low! + 1, low! + 2]);
    const v = await run(["verify"], { SECURE_LOG_KEYSTORE_SEED: SEED });
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(existsSync(lockPath)).toBe(false);
  });

  it("a command waits while the holder lives, and goes on once it releases", async () => {
    await writeFile(lockPath, lockFor(process.pid), { flag: "wx" });
    const waiting = background(["head"]);
    await new Promise((r) => setTimeout(r, 3000));
    expect(waiting.child.exitCode).toBe(null);
    await rm(lockPath);
    const r = await waiting.exited;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^STREAM +HEAD/);
  });

  it("past the timeout it exits 3 naming the holder's pid and the lock file", async () => {
    const held = lockFor(process.pid);
    await writeFile(lockPath, held, { flag: "wx" });
    try {
      const r = await run(["append", "never written"], { SECURE_LOG_LOCK_TIMEOUT_MS: "500" });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`is in use by pid ${process.pid} (\`secure-log verify\``);
      expect(r.stderr).toContain("gave up after 500 ms (SECURE_LOG_LOCK_TIMEOUT_MS)");
      expect(r.stderr).toContain(`if that process no longer runs, remove ${lockPath}`);
      expect(await readFile(lockPath, "utf8")).toBe(held);
    } finally {
      await rm(lockPath, { force: true });
    }
    const tail = await run(["--json", "tail", "-n", "1"]);
    expect(tail.stdout).not.toContain("never written");
  });

  it("a dead holder's lock is taken over", async () => {
    const dead = deadPid();
    await writeFile(lockPath, lockFor(dead), { flag: "wx" });
    const r = await run(["head"], { SECURE_LOG_LOCK_TIMEOUT_MS: "0" });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lockPath)).toBe(false);
  });

  it("racing takers of a dead holder's lock hold it one at a time", async () => {
    await writeFile(lockPath, lockFor(deadPid()), { flag: "wx" });
    const journal = join(dir, "journal.txt");
    const lockUrl = pathToFileURL(join(ROOT, "cli", "lock.ts")).href;
    const script = [
      "import { appendFileSync } from 'node:fs';",
      `const { lockDataDir } = await import(${JSON.stringify(lockUrl)});`,
      `const lock = await lockDataDir(${JSON.stringify(data)}, { command: 'race', timeoutMs: 30000 });`,
      `appendFileSync(${JSON.stringify(journal)}, 'in ' + process.pid + '\\n');`,
      "await new Promise((r) => setTimeout(r, 100));",
      `appendFileSync(${JSON.stringify(journal)}, 'out ' + process.pid + '\\n');`,
      "lock.release();",
    ].join("\n");
    const tsx = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
    const takers = Array.from({ length: 6 }, () => {
      const child = spawn(
        process.execPath,
        ["--import", tsx, "--input-type=module", "-e", script],
        { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      return new Promise<string>((resolve) =>
        child.on("close", (code) => resolve(`${code} ${stderr}`)),
      );
    });
    expect(await Promise.all(takers)).toEqual(Array(6).fill("0 "));
    const lines = (await readFile(journal, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(12);
    for (let i = 0; i < lines.length; i += 2) {
      const pid = lines[i]!.replace(/^in /, "");
      expect(lines[i]).toMatch(/^in \d+$/);
      expect(lines[i + 1]).toBe(`out ${pid}`);
    }
    expect(existsSync(lockPath)).toBe(false);
  });
});
