// Helpers for the WIT tests: resolve a world of wit/ through jco (embed into an
// empty core module, make a component, print its WIT) and generate its
// TypeScript declarations. preview2-shim 0.26 has no default preopens, so the
// root is preopened before jco is first loaded.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const WIT_DIR = fileURLToPath(new URL("../../wit", import.meta.url));
export const GOLDEN_DIR = fileURLToPath(new URL("./golden", import.meta.url));

export interface WorldCase {
  /** As jco's `world` option takes it: bare for the root package, else `ns:pkg/world`. */
  world: string;
  /** Folder under golden/. */
  golden: string;
}

export const WORLDS: WorldCase[] = [
  { world: "secure-log-host", golden: "secure-log-host" },
  { world: "secure-log-core", golden: "secure-log-core" },
  { world: "store-provider", golden: "store-provider" },
  { world: "keys:keystore/keystore-provider", golden: "keystore-provider" },
  {
    world: "secure-log:core-signing/secure-log-core-signing",
    golden: "secure-log-core-signing",
  },
  { world: "secure-log:sqlite/sqlite-engine", golden: "sqlite-engine" },
];

/** The smallest valid core module: magic and version, no sections. */
const EMPTY_CORE_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

type Jco = typeof import("@bytecodealliance/jco");
let jcoPromise: Promise<Jco> | undefined;

export function jco(): Promise<Jco> {
  jcoPromise ??= (async () => {
    const { _setPreopens } = await import("@bytecodealliance/preview2-shim/filesystem");
    // Node's shim takes host paths; the browser typings (picked by TS) say FileData.
    _setPreopens({ "/": "/" } as unknown as Parameters<typeof _setPreopens>[0]);
    return import("@bytecodealliance/jco");
  })();
  return jcoPromise;
}

/** Embeds the world (dummy bindings) into an empty module and makes a component. */
export async function worldComponent(world: string): Promise<Uint8Array> {
  const j = await jco();
  const embedded = await j.componentEmbed({
    binary: EMPTY_CORE_MODULE,
    witPath: WIT_DIR,
    world,
    dummy: true,
  });
  return j.componentNew(embedded);
}

export interface WorldShape {
  imports: string[];
  exports: string[];
  /** Lines of the printed world that are neither imports nor exports. */
  other: string[];
}

/** Parses `jco wit` output of a component: the single world's imports and exports. */
export function worldShape(wit: string): WorldShape {
  const body = /world\s+[\w-]+\s*\{([^}]*)\}/.exec(wit)?.[1];
  if (body === undefined) throw new Error(`no world in:\n${wit}`);
  const shape: WorldShape = { imports: [], exports: [], other: [] };
  for (const raw of body.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const m = /^(import|export)\s+([^;]+);$/.exec(line);
    if (m?.[1] === "import") shape.imports.push(m[2] as string);
    else if (m?.[1] === "export") shape.exports.push(m[2] as string);
    else shape.other.push(line);
  }
  return shape;
}

/** jco's host-side TypeScript declarations for a world: relative path → bytes. */
export async function worldTypes(world: string): Promise<Record<string, Uint8Array>> {
  const j = await jco();
  return j.types(WIT_DIR, { worldName: world, guest: false, quiet: true });
}

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
export function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

export const readGolden = (dir: string, file: string): Uint8Array =>
  new Uint8Array(readFileSync(join(dir, file)));

/** Replaces `dir` with exactly `files`. */
export function writeGolden(dir: string, files: Record<string, Uint8Array>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
}
