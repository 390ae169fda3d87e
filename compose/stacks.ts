// The stacks we ship, in one place. A stack is a socket component plugged
// with others until it imports nothing but WASI; `npm run compose` builds each
// from dist/components/<part>.wasm into dist/<stack>.wasm and checks that its
// imports and exports are what is listed here. A new stack is one more entry,
// usually a log stack with a different store.

/** What every log stack exports: the secure-log:log@0.1.0 host world plus the generic logger. */
export const LOG_EXPORTS: readonly string[] = [
  "secure-log:log/types@0.1.0",
  "secure-log:log/encoder@0.1.0",
  "secure-log:log/log@0.1.0",
  "secure-log:log/checkpoint@0.1.0",
  "tegmentum:log/logger@0.1.0",
];

export interface StackDefinition {
  /** dist/<name>.wasm */
  name: string;
  /** One line for listings. */
  description: string;
  /** The component whose exports the stack re-exports (dist/components/<socket>.wasm). */
  socket: string;
  /** Components that satisfy the socket's imports and each other's, in any order. */
  plugs: readonly string[];
  /** Exactly the interfaces the stack must export. */
  exports: readonly string[];
}

/**
 * The core with a store (its parts) and the software keystore. The encoder
 * component answers the `secure-log:log/encoder` import that the store
 * interface drags into the core and every store (componentize-js imports its
 * functions along with the severity type; wit/deps/components/worlds.wit);
 * the stack's own encoder export is the core's.
 */
function logStack(name: string, store: readonly string[], description: string): StackDefinition {
  return {
    name,
    description,
    socket: "core",
    plugs: [...store, "keystore-software", "encoder"],
    exports: LOG_EXPORTS,
  };
}

export const STACKS: readonly StackDefinition[] = [
  logStack("secure-log-file", ["store-file"], "the log in one JSON-lines file, software keys"),
  logStack(
    "secure-log-sqlite",
    ["store-sqlite", "sqlite-engine"],
    "the log in a SQLite database (WAL, synchronous=FULL), software keys",
  ),
  {
    name: "secure-log-rpc-server",
    description: "the store in a SQLite database, served over HTTP (POST /rpc)",
    socket: "rpc-server",
    plugs: ["store-sqlite", "sqlite-engine", "encoder"],
    exports: ["wasi:http/incoming-handler@0.2.12"],
  },
  logStack(
    "secure-log-remote",
    ["store-remote", "transport-http"],
    "the log in a secure-log rpc-server's store, over HTTP (SECURE_LOG_RPC_URL), software keys",
  ),
];

/** The stack every command uses when none is named. */
export const DEFAULT_STACK = "secure-log-sqlite";

export function stackNamed(name: string): StackDefinition {
  const found = STACKS.find((s) => s.name === name);
  if (found === undefined) {
    throw new Error(`no stack '${name}' (defined: ${STACKS.map((s) => s.name).join(", ")})`);
  }
  return found;
}

/** Imports a finished stack may keep: WASI only, everything else must be plugged. */
export const isHostImport = (name: string): boolean => name.startsWith("wasi:");
