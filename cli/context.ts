// What every command gets: the global options and, on demand, an opened log
// instance of the chosen stack on the data directory, under the directory's
// lock (cli/lock.ts).

import { existsSync } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { ENV } from "../src/keystore/config";
import { stackPath } from "../scripts/compose";
import type { StackApi } from "../verify/stack-api";
import { WasmStack } from "../verify/wasm-stack";
import { flag, has, type Parsed } from "./args";
import { lockDataDir } from "./lock";
import { CliError, EXIT, toCliError, usageError } from "./output";

export const STACK_NAMES = {
  file: "secure-log-file",
  sqlite: "secure-log-sqlite",
  remote: "secure-log-remote",
} as const;
export type StackChoice = keyof typeof STACK_NAMES;
export const DEFAULT_DATA = "./secure-log-data";

export interface Globals {
  /** The command word ("append"), as a waiting process is shown the lock's holder. */
  command: string;
  stack: StackChoice;
  dataDir: string;
  json: boolean;
}

export function globalsOf(command: string, p: Parsed): Globals {
  const stack = flag(p, "stack") ?? process.env["SECURE_LOG_STACK"] ?? "sqlite";
  if (!(stack in STACK_NAMES)) {
    throw usageError(
      `unknown stack '${stack}'; choose one of: ${Object.keys(STACK_NAMES).join(", ")}`,
    );
  }
  return {
    command,
    stack: stack as StackChoice,
    dataDir: resolve(flag(p, "data") ?? process.env["SECURE_LOG_DATA"] ?? DEFAULT_DATA),
    json: has(p, "json"),
  };
}

/** The variables the stack's instance sees: the keystore's and the store's (SECURE_LOG_*). */
function stackEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("SECURE_LOG_") && v !== undefined) env[k] = v;
  }
  return env;
}

export interface Opened {
  api: StackApi;
  stack: WasmStack;
  /**
   * Gives up the data-directory lock; the instance must not be used after.
   * Commands need not call it: the lock goes when the process exits.
   */
  release(): void;
}

export interface OpenOptions {
  /** Who holds the lock, as shown to a process that waits for it (default: the command line's command). */
  command?: string;
  /** Stops waiting for the lock. */
  signal?: AbortSignal;
}

const loaded = new Map<StackChoice, Promise<WasmStack>>();

/** The composed stack, built and composed first when dist/ has none yet; loaded once per process. */
function loadStack(choice: StackChoice): Promise<WasmStack> {
  let stack = loaded.get(choice);
  if (stack === undefined) {
    const name = STACK_NAMES[choice];
    // Building pulls in the whole toolchain; load it only when dist/ lacks the stack.
    const path = existsSync(stackPath(name))
      ? Promise.resolve(stackPath(name))
      : import("../scripts/start").then((m) => m.prepareStack(name));
    stack = path.then((p) => WasmStack.load(p));
    stack.catch(() => loaded.delete(choice));
    loaded.set(choice, stack);
  }
  return stack;
}

const RPC_URL = "SECURE_LOG_RPC_URL";
const RPC_TOKEN = "SECURE_LOG_RPC_TOKEN";
const SERVE_HINT = `start one with \`${RPC_TOKEN}=… npm run serve -- --port 8080 --data DIR\``;

/**
 * The remote stack's server, from the environment. The CLI never starts one
 * (verify/stores.ts RemoteStore would, for an instance without a URL).
 */
function remoteServer(env: Record<string, string>): string {
  const missing = [RPC_URL, RPC_TOKEN].filter((k) => (env[k] ?? "") === "");
  if (missing.length > 0) {
    throw usageError(
      `--stack remote needs an rpc-server: set ${missing.join(" and ")} ` +
        `(${RPC_URL}: its endpoint, e.g. http://127.0.0.1:8080/rpc; ${RPC_TOKEN}: its bearer token); ` +
        SERVE_HINT,
    );
  }
  return env[RPC_URL]!;
}

/** Why opening the remote store failed, and what to do about it. */
function remoteOpenError(url: string, err: CliError): CliError {
  const m = err.message;
  let hint = "";
  if (/\bhttp 401\b/.test(m)) {
    hint = `; the server refused the token: set ${RPC_TOKEN} to the token it was started with`;
  } else if (/cannot reach|timed out after/.test(m)) {
    hint = `; is the rpc-server running and ${RPC_URL} right? ${SERVE_HINT}`;
  }
  return new CliError(`cannot open the remote store at ${url}: ${m}${hint}`, EXIT.store);
}

/**
 * Opens the log on the data directory; `create` makes the directory first
 * (init). Holds the data directory's lock (cli/lock.ts) from before the
 * store is opened until `release` or the process's exit.
 */
export async function openLog(
  g: Globals,
  create = false,
  options: OpenOptions = {},
): Promise<Opened> {
  const env = stackEnv();
  const url = g.stack === "remote" ? remoteServer(env) : undefined;
  if (create) {
    await mkdir(g.dataDir, { recursive: true });
  } else {
    await access(g.dataDir).catch(() => {
      throw new CliError(
        `data directory ${g.dataDir} does not exist; create it with \`secure-log init --data ${g.dataDir}\``,
        EXIT.usage,
      );
    });
  }
  let stack: WasmStack;
  try {
    stack = await loadStack(g.stack);
  } catch (e) {
    throw new CliError(`cannot load the ${g.stack} stack: ${toCliError(e).message}`, EXIT.store);
  }
  // With SECURE_LOG_RPC_URL given, the remote store adds nothing to it (RemoteStore.environment).
  const api = await stack.instantiate({ dataDir: g.dataDir, env });
  // Locked after instantiating, which is most of a command's start (~0.6 s
  // on the sqlite stack) but touches no file: componentize-js runs module
  // top levels at build time and the SQLite engine starts on its first call,
  // so the first file a component opens is opened by `open`.
  const lock = await lockDataDir(g.dataDir, {
    command: options.command ?? `secure-log ${g.command}`,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    await api.open(stack.storeConfig);
  } catch (e) {
    lock.release();
    const err = toCliError(e);
    if (url !== undefined) throw remoteOpenError(url, err);
    throw new CliError(`cannot open the store in ${g.dataDir}: ${err.message}`, EXIT.store);
  }
  return { api, stack, release: lock.release };
}

/** Fails with the usage hint when the log has no stream of that name. */
export async function requireStream(api: StackApi, stream: string): Promise<void> {
  const known = (await api.listStreams()).some((s) => s.name === stream);
  if (!known && (await api.head(stream)) === undefined) {
    throw usageError(`stream '${stream}' not found; list streams with \`secure-log streams list\``);
  }
}

/** Whether the keystore has a secret to work with (signing and checking signatures need one). */
export function hasKeySecret(): boolean {
  return [ENV.seed, ENV.keyFile, ENV.insecureDev].some((k) => (process.env[k] ?? "") !== "");
}
