// Which store a dist stack keeps its data in, and the two things the harness
// does differently per store: the `open` config that puts the data in the
// instance's data directory, and how to tamper with it behind the store's
// back. The store is read from the stack's parts in compose/stacks.ts, the one
// place that says what a stack is made of.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { basename, join } from "node:path";
import { STACKS } from "../compose/stacks";
import { stackPath } from "../scripts/compose";
import { ROOT } from "../scripts/lib/paths";
import { LISTENING, RPC_SERVER_STACK } from "../scripts/serve";
import { flipEntryByte } from "./data-file";
import { flipPayloadBit } from "./data-sqlite";
import { GUEST_DATA_DIR } from "./wasi-imports";

/** What the tampering needs to find an entry in the stored bytes. */
export interface StoredEntry {
  seqno: bigint;
  payload: Uint8Array;
}

export interface StoreKind {
  /** The store component, as compose/stacks.ts names it. */
  part: string;
  /** The data file's name in the data directory (the `open` config's file name). */
  dataFile: string;
  /**
   * Flips one bit of `entry` where the store keeps it under `dataDir`, leaving
   * every record well formed; returns what it changed.
   */
  tamperEntry(dataDir: string, entry: StoredEntry): Promise<string>;
  /**
   * Variables an instance on `dataDir` needs besides its keystore's (the
   * remote store: where its server is and the token); may start that server.
   * `given` is the instance's own environment.
   */
  environment?(dataDir: string, given: Record<string, string>): Promise<Record<string, string>>;
  /** Stops whatever `environment` started. */
  close?(): Promise<void>;
}

export const FILE_STORE: StoreKind = {
  part: "store-file",
  dataFile: "secure-log.jsonl",
  tamperEntry: (dataDir, entry) => flipEntryByte(join(dataDir, FILE_STORE.dataFile), entry.seqno),
};

/** Bypasses SQL: a raw edit of the database's (and its WAL's) bytes. */
export const SQLITE_STORE: StoreKind = {
  part: "store-sqlite",
  dataFile: "secure-log.db",
  tamperEntry: (dataDir, entry) =>
    flipPayloadBit(join(dataDir, SQLITE_STORE.dataFile), entry.payload),
};

/** A free TCP port on the loopback interface (free when asked; the server binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A running `scripts/serve.ts`, its output so far readable. */
export interface ServeRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** The environment without any SECURE_LOG_RPC_* variable of the caller, plus `extra`. */
export function serveEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("SECURE_LOG_RPC_")) delete env[name];
  return { ...env, ...extra };
}

/** Starts `scripts/serve.ts ARGS` (`npm run serve`) from the project root. */
export function spawnServe(args: readonly string[], env: NodeJS.ProcessEnv): ServeRun {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The server's endpoint once it says it listens; throws if it exits or takes too long (and stops it). */
export async function waitForListening(run: ServeRun, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = new RegExp(`${LISTENING}(\\S+)`).exec(run.stdout());
    if (m) return m[1]!;
    const { child } = run;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the rpc-server exited with ${child.exitCode}: ${run.stderr()}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the rpc-server did not start within ${timeoutMs} ms: ${run.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One `npm run serve` of the rpc-server stack (scripts/serve.ts), on a free loopback port. */
export class RpcServer {
  private constructor(
    readonly child: ChildProcess,
    /** The endpoint, http://127.0.0.1:PORT/rpc. */
    readonly url: string,
  ) {}

  /** Serves the database in `dataDir` (secure-log.db) with `token`; resolves once it listens. */
  static async start(dataDir: string, token: string, timeoutMs = 120_000): Promise<RpcServer> {
    const port = await freePort();
    const args = [
      "--port",
      String(port),
      "--data",
      dataDir,
      "--stack",
      stackPath(RPC_SERVER_STACK),
    ];
    const run = spawnServe(args, serveEnv({ SECURE_LOG_RPC_TOKEN: token }));
    return new RpcServer(run.child, await waitForListening(run, timeoutMs));
  }

  /** SIGTERM to scripts/serve.ts, which stops jco serve's process group; resolves on exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}

/**
 * The remote store keeps its data in an rpc-server: one server per data
 * directory, started the first time an instance is made on it, holding its
 * database in `<dataDir>/rpc-server/secure-log.db`. A new instance on the same
 * directory is a new client of the same server. Tampering stops the server
 * (it keeps the database open, exclusively, in WAL mode), edits the
 * database's bytes as for the SQLite stack and starts it again, on a new port.
 */
export class RemoteStore implements StoreKind {
  readonly part = "store-remote";
  /** The file the client's `open` names; the server keeps its own database. */
  readonly dataFile = "secure-log.db";
  readonly token = randomBytes(24).toString("hex");
  private readonly servers = new Map<string, Promise<RpcServer>>();
  /** Servers that listen; killed synchronously if the process exits without `close`. */
  private readonly running = new Set<RpcServer>();
  private readonly onExit = () => {
    for (const s of this.running) s.child.kill("SIGTERM");
  };

  /** Where the server of `dataDir` keeps its database. */
  static serverDir = (dataDir: string) => join(dataDir, "rpc-server");

  /** The server of `dataDir`, started if it is not running. */
  server(dataDir: string): Promise<RpcServer> {
    let s = this.servers.get(dataDir);
    if (s === undefined) {
      if (this.servers.size === 0) process.once("exit", this.onExit);
      const dir = RemoteStore.serverDir(dataDir);
      s = mkdir(dir, { recursive: true })
        .then(() => RpcServer.start(dir, this.token))
        .then((server) => (this.running.add(server), server));
      this.servers.set(dataDir, s);
    }
    return s;
  }

  /** Nothing when the instance names a server itself (SECURE_LOG_RPC_URL). */
  async environment(
    dataDir: string,
    given: Record<string, string>,
  ): Promise<Record<string, string>> {
    if (given["SECURE_LOG_RPC_URL"] !== undefined) return {};
    const server = await this.server(dataDir);
    return { SECURE_LOG_RPC_URL: server.url, SECURE_LOG_RPC_TOKEN: this.token };
  }

  async tamperEntry(dataDir: string, entry: StoredEntry): Promise<string> {
    const running = this.servers.get(dataDir);
    if (running !== undefined) {
      this.servers.delete(dataDir);
      const server = await running;
      this.running.delete(server);
      await server.stop();
    }
    const dir = RemoteStore.serverDir(dataDir);
    const detail = await flipPayloadBit(join(dir, this.dataFile), entry.payload);
    await this.server(dataDir);
    return `server stopped, rpc-server/${detail}, server restarted`;
  }

  async close(): Promise<void> {
    const all = [...this.servers.values()];
    this.servers.clear();
    process.off("exit", this.onExit);
    this.running.clear();
    await Promise.all(all.map((s) => s.then((x) => x.stop()).catch(() => {})));
  }
}

/** The remote store of the process's remote stacks (its servers are per data directory). */
export const REMOTE_STORE = new RemoteStore();

const KINDS: readonly StoreKind[] = [FILE_STORE, SQLITE_STORE, REMOTE_STORE];

/** The guest path `open` gets for a store of this kind. */
export const storeConfigOf = (kind: StoreKind): string => `${GUEST_DATA_DIR}/${kind.dataFile}`;

/** The store of the stack at `path`, named dist/<stack>.wasm after its definition. */
export function storeOfStack(path: string): StoreKind {
  const name = basename(path, ".wasm");
  const def = STACKS.find((s) => s.name === name);
  const kind = def && KINDS.find((k) => def.plugs.includes(k.part));
  if (kind === undefined) {
    const known = STACKS.filter((s) => KINDS.some((k) => s.plugs.includes(k.part)));
    throw new Error(
      `cannot tell which store ${path} keeps its data in: the harness knows the stacks ` +
        `${known.map((s) => `${s.name}.wasm`).join(", ")} (compose/stacks.ts) by file name`,
    );
  }
  return kind;
}
