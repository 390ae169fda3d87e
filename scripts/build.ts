// `npm run build [-- <component>...]`: builds components/<name>/ into
// dist/components/<name>.wasm, one line per component. Outputs are cached by
// the hash of everything they depend on (.cache/build/<hash>.wasm), so an
// unchanged component costs a bundle and a hash, not a componentize.

import { copyFileSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BUILDERS } from "./lib/builders";
import { discoverComponents, loadComponent, type ComponentSpec } from "./lib/components";
import { hashKey } from "./lib/hash";
import { BUILD_CACHE_DIR, DIST_COMPONENTS_DIR } from "./lib/paths";

export interface BuildResult {
  name: string;
  /** dist/components/<name>.wasm */
  path: string;
  /** The cache key; equal hashes are equal components. */
  hash: string;
  cached: boolean;
  bytes: number;
  seconds: number;
}

function specsFor(names: readonly string[]): ComponentSpec[] {
  if (names.length === 0) return discoverComponents();
  return names.map((name) => {
    const spec = loadComponent(name);
    if (spec === undefined) {
      const known = discoverComponents().map((c) => c.name);
      throw new Error(
        `no component '${name}' (components/${name}/src/index.ts or component.json); ` +
          `buildable: ${known.join(", ") || "none"}`,
      );
    }
    return spec;
  });
}

export async function buildComponent(spec: ComponentSpec): Promise<BuildResult> {
  const started = performance.now();
  const builder = BUILDERS[spec.kind];
  if (builder === undefined) {
    throw new Error(
      `component '${spec.name}': no builder for kind '${spec.kind}' ` +
        `(known: ${Object.keys(BUILDERS).join(", ")})`,
    );
  }
  mkdirSync(BUILD_CACHE_DIR, { recursive: true });
  mkdirSync(DIST_COMPONENTS_DIR, { recursive: true });

  const prepared = await builder.prepare(spec);
  const hash = hashKey(prepared.key);
  const cachePath = join(BUILD_CACHE_DIR, `${hash}.wasm`);
  const cached = existsSync(cachePath);
  if (!cached) {
    const wasm = await prepared.build(hash);
    // Rename into place so a concurrent build never reads half a file.
    const tmp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(tmp, wasm);
    renameSync(tmp, cachePath);
  }
  const path = join(DIST_COMPONENTS_DIR, `${spec.name}.wasm`);
  copyFileSync(cachePath, path);
  return {
    name: spec.name,
    path,
    hash,
    cached,
    bytes: statSync(path).size,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Builds the named components (all when none are named), one after another. */
export async function buildComponents(
  names: readonly string[] = [],
  onResult: (r: BuildResult) => void = () => undefined,
): Promise<BuildResult[]> {
  const results: BuildResult[] = [];
  for (const spec of specsFor(names)) {
    const r = await buildComponent(spec);
    onResult(r);
    results.push(r);
  }
  return results;
}

function size(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

export function formatResult(r: BuildResult): string {
  const state = r.cached ? "cached" : "built ";
  const seconds = `${r.seconds.toFixed(1)} s`;
  return `${r.name.padEnd(20)} ${state} ${size(r.bytes).padStart(8)} ${seconds.padStart(7)}  ${r.hash.slice(0, 12)}`;
}

async function main(argv: string[]): Promise<void> {
  const results = await buildComponents(argv, (r) => console.log(formatResult(r)));
  if (results.length === 0) console.log("no components to build (components/<name>/src/index.ts)");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
