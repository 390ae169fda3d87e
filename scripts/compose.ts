// `npm run compose [-- <stack>...]`: composes each stack of compose/stacks.ts
// from dist/components/*.wasm into dist/<stack>.wasm with our `wac plug`, then
// checks with jco's `componentWit` that it imports only wasi:* and exports
// exactly the stack's interfaces. One line per stack. A stack whose parts are
// unchanged (by sha256) is not composed again.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { componentWit } from "@bytecodealliance/jco";
import { plug } from "../compose/index";
import { STACKS, isHostImport, stackNamed, type StackDefinition } from "../compose/stacks";
import { DIST_COMPONENTS_DIR, ROOT } from "./lib/paths";

export const DIST_DIR = join(ROOT, "dist");
const CACHE_DIR = join(ROOT, ".cache", "compose");

export interface ComposeResult {
  stack: StackDefinition;
  /** dist/<stack>.wasm */
  path: string;
  bytes: number;
  sha256: string;
  imports: string[];
  exports: string[];
  warnings: string[];
  cached: boolean;
  ms: number;
}

interface CacheRecord {
  inputs: Record<string, string>;
  sha256: string;
  imports: string[];
  exports: string[];
  warnings: string[];
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export const partPath = (part: string) => join(DIST_COMPONENTS_DIR, `${part}.wasm`);
export const stackPath = (name: string) => join(DIST_DIR, `${name}.wasm`);

/** The names a world imports and exports, from `componentWit` text. */
export function worldItems(wit: string): { imports: string[]; exports: string[] } {
  const imports: string[] = [];
  const exports: string[] = [];
  for (const line of wit.split("\n")) {
    const m = /^\s*(import|export)\s+([^\s;{]+)/.exec(line);
    if (!m) continue;
    const name = m[2]!.replace(/:$/, "");
    (m[1] === "import" ? imports : exports).push(name);
  }
  return { imports, exports };
}

/** Why a composed stack is wrong, or undefined when its imports and exports are right. */
export function checkStackWorld(
  def: StackDefinition,
  imports: string[],
  exports: string[],
): string | undefined {
  const problems: string[] = [];
  const unplugged = imports.filter((i) => !isHostImport(i));
  if (unplugged.length > 0) problems.push(`imports what no part provides: ${unplugged.join(", ")}`);
  const missing = def.exports.filter((e) => !exports.includes(e));
  if (missing.length > 0) problems.push(`does not export ${missing.join(", ")}`);
  const extra = exports.filter((e) => !def.exports.includes(e));
  if (extra.length > 0) problems.push(`also exports ${extra.join(", ")}`);
  return problems.length === 0 ? undefined : problems.join("; ");
}

function readPart(def: StackDefinition, part: string): Uint8Array {
  const path = partPath(part);
  if (!existsSync(path)) {
    throw new Error(`${def.name}: ${relative(ROOT, path)} is missing; run \`npm run build\` first`);
  }
  return readFileSync(path);
}

function loadCache(name: string): CacheRecord | undefined {
  const path = join(CACHE_DIR, `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as CacheRecord) : undefined;
}

export async function composeStack(def: StackDefinition): Promise<ComposeResult> {
  const start = performance.now();
  const parts = [def.socket, ...def.plugs];
  const bytes = new Map(parts.map((p) => [p, readPart(def, p)]));
  const inputs = Object.fromEntries(parts.map((p) => [p, sha256(bytes.get(p)!)]));
  const out = stackPath(def.name);

  const cache = loadCache(def.name);
  const same =
    cache &&
    parts.every((p) => cache.inputs[p] === inputs[p]) &&
    Object.keys(cache.inputs).length === parts.length;
  if (same && existsSync(out) && sha256(readFileSync(out)) === cache.sha256) {
    return {
      stack: def,
      path: out,
      bytes: readFileSync(out).length,
      ...cache,
      cached: true,
      ms: performance.now() - start,
    };
  }

  const socket = { name: def.socket, bytes: bytes.get(def.socket)! };
  const plugs = def.plugs.map((p) => ({ name: p, bytes: bytes.get(p)! }));
  const result = plug(socket, plugs);
  const { imports, exports } = worldItems(await componentWit(result.bytes));
  const problem = checkStackWorld(def, imports, exports);
  if (problem !== undefined) throw new Error(`${def.name}: the composed stack ${problem}`);

  mkdirSync(DIST_DIR, { recursive: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, result.bytes);
  renameSync(tmp, out);
  const record: CacheRecord = {
    inputs,
    sha256: sha256(result.bytes),
    imports,
    exports,
    warnings: result.warnings,
  };
  writeFileSync(join(CACHE_DIR, `${def.name}.json`), JSON.stringify(record, null, 2));
  return {
    stack: def,
    path: out,
    bytes: result.bytes.length,
    ...record,
    cached: false,
    ms: performance.now() - start,
  };
}

/** Composes the named stacks (all when none are named), one after another. */
export async function composeStacks(
  names: readonly string[] = [],
  onResult: (r: ComposeResult) => void = () => undefined,
): Promise<ComposeResult[]> {
  const results: ComposeResult[] = [];
  for (const def of names.length === 0 ? STACKS : names.map(stackNamed)) {
    const r = await composeStack(def);
    onResult(r);
    results.push(r);
  }
  return results;
}

export function formatCompose(r: ComposeResult): string {
  const parts = [r.stack.socket, ...r.stack.plugs].join(" + ");
  const mb = (r.bytes / 1e6).toFixed(1);
  const state = r.cached ? "cached  " : "composed";
  const wasi = `${r.imports.length} wasi imports, ${r.exports.length} exports`;
  return `${r.stack.name.padEnd(20)} ${state} ${mb.padStart(6)} MB ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${parts} → ${relative(ROOT, r.path)} (${wasi}, only wasi:* imported)`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await composeStacks(process.argv.slice(2), (r) => {
      console.log(formatCompose(r));
      for (const w of r.warnings) console.log(`  warning: ${w}`);
    });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
