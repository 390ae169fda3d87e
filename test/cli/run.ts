// Runs the CLI as a subprocess (node + the project's tsx) on a data directory.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT = join(import.meta.dirname, "..", "..");
const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
export const MAIN = join(ROOT, "cli", "main.ts");
export const LAUNCHER = join(ROOT, "bin", "secure-log.mjs");

/** A 32-byte operator secret for the software keystore, as hex. */
export const SEED = "11".repeat(32);

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
  /** Run through bin/secure-log.mjs instead of node + tsx directly. */
  launcher?: boolean;
}

/** Starts `secure-log ARGS`, with SECURE_LOG_* cleared unless `env` sets them. */
function start(args: readonly string[], options: RunOptions): ChildProcessWithoutNullStreams {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("SECURE_LOG_")) delete env[k];
  Object.assign(env, options.env ?? {});
  env["NO_COLOR"] = "1";
  const argv = options.launcher ? [LAUNCHER, ...args] : ["--import", TSX, MAIN, ...args];
  const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: "pipe" });
  child.stdin.end(options.input ?? "");
  return child;
}

/** `secure-log ARGS` to its end. */
export function cli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(args, options);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A `secure-log` that runs until told to stop (tail --follow), its output so far readable. */
export interface Running {
  child: ChildProcessWithoutNullStreams;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once stdout matches `pattern` (rejects after `timeoutMs` or when the process ends first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The run, once the process has ended; `code` is -1 when a signal ended it. */
  exited: Promise<Run>;
}

export function spawnCli(args: readonly string[], options: RunOptions = {}): Running {
  const child = start(args, options);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<Run>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  let ended = false;
  const end = () => (ended = true);
  exited.then(end, end);
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(stdout);
        if (m !== null) return m;
        if (ended || Date.now() > deadline) {
          throw new Error(
            `${ended ? "ended" : `no match within ${timeoutMs} ms`} waiting for ${pattern}\n` +
              `stdout: ${stdout}\nstderr: ${stderr}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited,
  };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "secure-log-cli-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
