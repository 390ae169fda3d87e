// One process at a time per data directory. Nothing below the CLI locks: the
// SQLite engine runs the unix-none VFS (WASI has no file locks) in exclusive
// mode with its WAL index on the heap, and the file store keeps its index in
// memory, so two instances on one directory would each trust a stale view
// and write over each other (docs/design/compare-and-append.md). The lock is a
// file created with O_EXCL that names its holder; it goes when the holder
// releases it or exits, and a holder that died without releasing (its pid is
// gone on this host) is taken over.

import { randomUUID } from "node:crypto";
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CliError, EXIT, usageError } from "./output";

export const LOCK_FILE = ".secure-log.lock";
export const LOCK_TIMEOUT_VARIABLE = "SECURE_LOG_LOCK_TIMEOUT_MS";
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

/** What a lock file holds (one JSON line). `token` tells two holders with one pid apart. */
export interface Holder {
  pid: number;
  host: string;
  command: string;
  since: string;
  token: string;
}

export interface DataLock {
  readonly path: string;
  /** Removes the lock file if it is still this lock's; safe to call more than once. */
  release(): void;
}

export interface LockOptions {
  /** Shown to a process that has to wait, e.g. "secure-log append". */
  command: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Waiting for the lock took longer than the timeout. */
export class LockBusyError extends CliError {
  constructor(
    message: string,
    readonly holder: Holder | undefined,
  ) {
    super(message, EXIT.store);
  }
}

/** The timeout from SECURE_LOG_LOCK_TIMEOUT_MS, or the default. */
export function lockTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[LOCK_TIMEOUT_VARIABLE];
  if (text === undefined || text === "") return DEFAULT_LOCK_TIMEOUT_MS;
  if (!/^[0-9]{1,9}$/.test(text)) {
    throw usageError(
      `${LOCK_TIMEOUT_VARIABLE} must be a whole number of milliseconds, got '${text}'`,
    );
  }
  return Number(text);
}

/** The holder named in the lock file; undefined when it is gone, "unreadable" while half-written. */
function readHolder(path: string): Holder | "unreadable" | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return "unreadable";
  }
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (typeof h.pid !== "number" || !Number.isSafeInteger(h.pid) || h.pid <= 0) {
      return "unreadable";
    }
    return {
      pid: h.pid,
      host: String(h.host ?? ""),
      command: String(h.command ?? "?"),
      since: String(h.since ?? "?"),
      token: String(h.token ?? `pid-${h.pid}`),
    };
  } catch {
    return "unreadable";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Locks held by this process, by path, so one process never waits on itself. */
const held = new Map<string, { token: string; count: number }>();

/**
 * Dead on this host: its pid is gone, or is ours though this process does not
 * hold the lock (a process before us had the pid). A lock from another host is
 * never judged.
 */
function stale(h: Holder): boolean {
  if (h.host !== hostname()) return false;
  return h.pid === process.pid || !alive(h.pid);
}

/**
 * Removes the dead holder's lock file. Only the process that creates the
 * claim `<lock>.takeover-<token>` (O_EXCL again) may remove the file with that
 * token, and it checks the token once more first: a taker that comes late
 * finds a newer lock (another token) and leaves it alone. So two takers
 * never both remove a lock, and never a live one.
 */
function takeOver(path: string, dead: Holder): boolean {
  const claim = claimOf(path, dead);
  try {
    writeFileSync(claim, `${process.pid}\n`, { flag: "wx" });
  } catch {
    return false; // another process is taking it over (or died doing so: see the timeout's message)
  }
  try {
    const now = readHolder(path);
    if (now !== undefined && now !== "unreadable" && now.token === dead.token) unlinkSync(path);
    return true;
  } finally {
    unlinkSync(claim);
  }
}

const claimOf = (path: string, h: Holder) =>
  `${path}.takeover-${h.token.replace(/[^A-Za-z0-9-]/g, "_")}`;

function describeHolder(h: Holder | "unreadable" | undefined): string {
  if (h === undefined || h === "unreadable")
    return "an unknown process (the lock file is unreadable)";
  const where = h.host === hostname() ? "" : ` on host ${h.host}`;
  return `pid ${h.pid}${where} (\`${h.command}\`, since ${h.since})`;
}

/** Removes the lock file if it still holds `token`. */
function removeIfOurs(path: string, token: string): void {
  const h = readHolder(path);
  if (h === undefined || h === "unreadable" || h.token !== token) return;
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

function releaseAll(): void {
  for (const [path, { token }] of held) removeIfOurs(path, token);
  held.clear();
}

/**
 * A signal that nobody else handles ends the process through process.exit,
 * so the exit hook removes the lock; a command with its own handler
 * (tail --follow) ends itself and releases first.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  process.exit(signal === "SIGINT" ? 130 : 143);
}
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

function track(path: string, token: string): void {
  if (held.size === 0) {
    process.on("exit", releaseAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  held.set(path, { token, count: 1 });
}

function untrack(path: string): void {
  held.delete(path);
  if (held.size === 0) {
    process.off("exit", releaseAll);
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

/**
 * Takes `<dataDir>/.secure-log.lock`, waiting (polling) while a live process
 * holds it, up to the timeout; then fails with exit 3 naming the holder.
 */
export async function lockDataDir(dataDir: string, options: LockOptions): Promise<DataLock> {
  const path = join(dataDir, LOCK_FILE);
  const timeoutMs = options.timeoutMs ?? lockTimeoutMs();
  const deadline = Date.now() + timeoutMs;
  const token = randomUUID();
  const self: Holder = {
    pid: process.pid,
    host: hostname(),
    command: options.command,
    since: new Date().toISOString(),
    token,
  };
  for (;;) {
    options.signal?.throwIfAborted();
    // Checked on every turn: another call of this process may have taken it meanwhile.
    const mine = held.get(path);
    if (mine !== undefined) {
      mine.count++;
      return handle(path, mine.token);
    }
    try {
      writeFileSync(path, `${JSON.stringify(self)}\n`, { flag: "wx" });
      track(path, token);
      return handle(path, token);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") {
        throw new CliError(`cannot create the lock file ${path}: ${code ?? String(e)}`, EXIT.store);
      }
    }
    const holder = readHolder(path);
    if (holder === undefined) continue; // released just now
    const dead = holder !== "unreadable" && stale(holder);
    if (dead && takeOver(path, holder)) continue;
    const left = deadline - Date.now();
    if (left <= 0) {
      const what = dead
        ? `${describeHolder(holder)}, which no longer runs, but its takeover is stuck; ` +
          `remove ${path} and ${claimOf(path, holder)}`
        : `${describeHolder(holder)}; gave up after ${timeoutMs} ms (${LOCK_TIMEOUT_VARIABLE}). ` +
          `Wait for that command to finish and try again, or, if that process no longer runs, ` +
          `remove ${path}`;
      throw new LockBusyError(
        `${dataDir} is in use by ${what}`,
        holder === "unreadable" ? undefined : holder,
      );
    }
    await sleep(Math.min(POLL_MS, left), undefined, { signal: options.signal });
  }
}

function handle(path: string, token: string): DataLock {
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      const mine = held.get(path);
      if (mine === undefined || mine.token !== token || --mine.count > 0) return;
      untrack(path);
      removeIfOurs(path, token);
    },
  };
}
