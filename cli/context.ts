// What every command gets: the global options and, on demand, an opened log
// instance of the chosen stack on the data directory.

import { existsSync } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { ENV } from "../src/keystore/config";
import { stackPath } from "../scripts/compose";
import type { StackApi } from "../verify/stack-api";
import { WasmStack } from "../verify/wasm-stack";
import { flag, has, type Parsed } from "./args";
import { CliError, EXIT, toCliError, usageError } from "./output";

export const STACK_NAMES = { file: "secure-log-file", sqlite: "secure-log-sqlite" } as const;
export type StackChoice = keyof typeof STACK_NAMES;
export const DEFAULT_DATA = "./secure-log-data";

export interface Globals {
  stack: StackChoice;
  dataDir: string;
  json: boolean;
}

export function globalsOf(p: Parsed): Globals {
  const stack = flag(p, "stack") ?? process.env["SECURE_LOG_STACK"] ?? "sqlite";
  if (!(stack in STACK_NAMES)) {
    throw usageError(
      `unknown stack '${stack}'; choose one of: ${Object.keys(STACK_NAMES).join(", ")}`,
    );
  }
  return {
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
}

/** The composed stack, built and composed first when dist/ has none yet. */
async function loadStack(choice: StackChoice): Promise<WasmStack> {
  const name = STACK_NAMES[choice];
  // Building pulls in the whole toolchain; load it only when dist/ lacks the stack.
  const path = existsSync(stackPath(name))
    ? stackPath(name)
    : await import("../scripts/start").then((m) => m.prepareStack(name));
  return WasmStack.load(path);
}

/** Opens the log on the data directory; `create` makes the directory first (init). */
export async function openLog(g: Globals, create = false): Promise<Opened> {
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
  const api = await stack.instantiate({ dataDir: g.dataDir, env: stackEnv() });
  try {
    await api.open(stack.storeConfig);
  } catch (e) {
    const err = toCliError(e);
    throw new CliError(`cannot open the store in ${g.dataDir}: ${err.message}`, EXIT.store);
  }
  return { api, stack };
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
