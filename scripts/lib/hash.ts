// Content hashes for the build cache: a key is a list of named parts, each a
// string or bytes; equal parts in equal order give equal keys.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export type KeyPart = readonly [name: string, value: string | Uint8Array];

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Length-prefixed, so no two different part lists hash alike. */
export function hashKey(parts: readonly KeyPart[]): string {
  const h = createHash("sha256");
  for (const [name, value] of parts) {
    const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
    h.update(`${name.length}:${name}:${bytes.length}:`);
    h.update(bytes);
  }
  return h.digest("hex");
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Every `.wit` file under `dir` (paths and contents), in a stable order. */
export function hashWitTree(dir: string): string {
  const files = listFiles(dir)
    .filter((f) => f.endsWith(".wit"))
    .map((f) => [relative(dir, f).split("\\").join("/"), f] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return hashKey(files.map(([rel, abs]) => [rel, readFileSync(abs)] as const));
}
