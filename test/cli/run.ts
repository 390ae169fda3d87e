// Runs the CLI as a subprocess (node + the project's tsx) on a data directory.

import { spawn } from "node:child_process";
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

/** `secure-log ARGS`, with SECURE_LOG_* cleared unless `env` sets them. */
export function cli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("SECURE_LOG_")) delete env[k];
  Object.assign(env, options.env ?? {});
  env["NO_COLOR"] = "1";
  const argv = options.launcher ? [LAUNCHER, ...args] : ["--import", TSX, MAIN, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "secure-log-cli-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
