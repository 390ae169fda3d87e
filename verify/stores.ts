// Which store a dist stack keeps its data in, and the two things the harness
// does differently per store: the `open` config that puts the data in the
// instance's data directory, and how to tamper with it behind the store's
// back. The store is read from the stack's parts in compose/stacks.ts, the one
// place that says what a stack is made of.

import { basename, join } from "node:path";
import { STACKS } from "../compose/stacks";
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

const KINDS: readonly StoreKind[] = [FILE_STORE, SQLITE_STORE];

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
