// `npm run serve -- --port P --data DIR [--host H] [--stack dist/secure-log-rpc-server.wasm]`:
// serves the store of an rpc-server stack over HTTP with `jco serve`. DIR is
// preopened as /data, where the server keeps its database
// (SECURE_LOG_RPC_DB, default /data/secure-log.db). The guest sees only the
// SECURE_LOG_RPC_* variables, never the rest of this process's environment.
// Refuses to start without SECURE_LOG_RPC_TOKEN unless
// SECURE_LOG_RPC_INSECURE_DEV=1, binds 127.0.0.1 unless told otherwise, and
// never prints the token.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  ConfigError,
  DB_VARIABLE,
  DEFAULT_DB,
  INSECURE_DEV_VARIABLE,
  readConfig,
  SERVER_VARIABLES,
  TOKEN_VARIABLE,
} from "../components/rpc-server/src/config";
import { ROOT } from "./lib/paths";

export const RPC_SERVER_STACK = "secure-log-rpc-server";

/** The variables handed to the guest; nothing else of the host environment is. */
const GUEST_VARIABLES: readonly string[] = SERVER_VARIABLES;

/** Printed on stdout once the server accepts connections; the test waits for it. */
export const LISTENING = "secure-log rpc-server listening on ";

interface Options {
  port: number;
  host: string;
  data: string;
  stack: string | undefined;
}

class UsageError extends Error {}

const USAGE =
  "usage: npm run serve -- --port P --data DIR [--host H] [--stack dist/secure-log-rpc-server.wasm]";

function parseArgs(argv: string[]): Options {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (!["--port", "--data", "--host", "--stack"].includes(flag)) {
      throw new UsageError(`unknown argument '${flag}'\n${USAGE}`);
    }
    const value = argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value\n${USAGE}`);
    values.set(flag, value);
  }
  const portText = values.get("--port") ?? "8080";
  const port = Number(portText);
  if (!/^[0-9]+$/.test(portText) || port < 1 || port > 65535) {
    throw new UsageError(`--port ${portText}: expected a port number from 1 to 65535`);
  }
  const data = values.get("--data");
  if (data === undefined) throw new UsageError(`--data DIR is required\n${USAGE}`);
  return { port, host: values.get("--host") ?? "127.0.0.1", data, stack: values.get("--stack") };
}

const isLoopback = (host: string) =>
  /^127\.\d+\.\d+\.\d+$/.test(host) || host === "::1" || host === "localhost";

/** The guest's environment: the SECURE_LOG_RPC_* variables that are set, the db path defaulted. */
export function guestEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of GUEST_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== "") out[name] = value;
  }
  out[DB_VARIABLE] ??= DEFAULT_DB;
  return out;
}

/**
 * The module `jco serve --jco-import` runs before the component: it preopens
 * the data directory as /data and replaces the guest's environment (by
 * default preview2-shim passes all of process.env). It imports preview2-shim by
 * absolute URL, the same files jco's generated code resolves to.
 */
function setupModule(dataDir: string): string {
  const shim = (name: string) =>
    JSON.stringify(
      pathToFileURL(fileURLToPath(import.meta.resolve(`@bytecodealliance/preview2-shim/${name}`)))
        .href,
    );
  return [
    `import { _setEnv } from ${shim("cli")};`,
    `import { _setPreopens } from ${shim("filesystem")};`,
    `const names = ${JSON.stringify(GUEST_VARIABLES)};`,
    `const env = {};`,
    `for (const name of names) if (process.env[name]) env[name] = process.env[name];`,
    `env[${JSON.stringify(DB_VARIABLE)}] ??= ${JSON.stringify(DEFAULT_DB)};`,
    `_setEnv(env);`,
    `_setPreopens({ "/data": ${JSON.stringify(dataDir)} });`,
    "",
  ].join("\n");
}

async function stackFile(option: string | undefined): Promise<string> {
  if (option !== undefined) {
    const path = resolve(option);
    if (!existsSync(path)) throw new UsageError(`--stack ${option}: no such file`);
    return path;
  }
  // Built and composed on demand (both cached); progress goes to stderr.
  const { prepareStack } = await import("./start");
  return prepareStack(RPC_SERVER_STACK, (line) => console.error(line));
}

function checkEnvironment(): void {
  const env = new Map(Object.entries(guestEnvironment(process.env)));
  try {
    readConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`refusing to start: ${e.message}`);
    throw e;
  }
  if (!env.has(TOKEN_VARIABLE)) {
    console.error(
      `warning: ${INSECURE_DEV_VARIABLE}=1 and no ${TOKEN_VARIABLE}: ` +
        "anyone who can reach the port can read and write the log",
    );
  }
}

async function main(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  checkEnvironment();
  if (!isLoopback(options.host)) {
    console.error(
      `warning: --host ${options.host} serves beyond this machine over plain HTTP; ` +
        "the bearer token travels in clear text unless TLS is put in front",
    );
  }
  const dataDir = resolve(options.data);
  mkdirSync(dataDir, { recursive: true });
  const stack = await stackFile(options.stack);

  // jco transpiles the stack into this directory and runs it from there; ours
  // (not jco's own temporary one) so it is removed however the server stops.
  const workDir = mkdtempSync(join(tmpdir(), "secure-log-serve-"));
  const setupPath = join(workDir, "setup.mjs");
  writeFileSync(setupPath, setupModule(dataDir));
  const jco = join(ROOT, "node_modules", "@bytecodealliance", "jco", "dist", "jco.js");
  const args = [jco, "serve", stack, "--port", String(options.port), "--host", options.host];
  args.push("--jco-import", setupPath, "--jco-dir", join(workDir, "out"));
  // Its own process group: jco runs the server in a child of its own, and
  // stopping the group stops both.
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "inherit", "pipe"],
  });

  const stopChild = () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  const cleanUp = () => rmSync(workDir, { recursive: true, force: true });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopChild();
      cleanUp();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }

  let pending = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (text: string) => {
    pending += text;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith("Server listening @")) {
        const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
        console.log(`${LISTENING}http://${shownHost}:${options.port}/rpc`);
      } else {
        console.error(line);
      }
    }
  });

  const code = await new Promise<number>((done) => {
    child.on("exit", (c, signal) => done(c ?? (signal === null ? 1 : 128)));
    child.on("error", (e) => {
      console.error(`cannot run jco serve: ${e.message}`);
      done(1);
    });
  });
  if (pending !== "") console.error(pending);
  stopChild();
  cleanUp();
  return code;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 2;
    },
  );
}
