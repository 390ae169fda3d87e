// Runs a built component in Node: jco transpiles it (cached by the wasm's hash
// under .cache/jco/), and `instantiateComponent` links it with the caller's
// imports plus preview2-shim for WASI, each instance with its own preopened
// directories and environment.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as shim from "@bytecodealliance/preview2-shim";
import { toolchain } from "../../scripts/lib/toolchain";

const CACHE_DIR = fileURLToPath(new URL("../../.cache/jco", import.meta.url));
const ENTRY = "component.js";

/** jco's `instantiate` in async instantiation mode. */
type Instantiate = (
  getCoreModule: (path: string) => Promise<WebAssembly.Module>,
  imports: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

export interface Transpiled {
  dir: string;
  instantiate: Instantiate;
  getCoreModule: (path: string) => Promise<WebAssembly.Module>;
}

const transpiled = new Map<string, Promise<Transpiled>>();

/** Transpiles once per wasm content; later calls (and later runs) reuse the output. */
export function transpileComponent(wasmPath: string): Promise<Transpiled> {
  const wasm = readFileSync(wasmPath);
  const hash = createHash("sha256").update(wasm).digest("hex");
  let done = transpiled.get(hash);
  if (done === undefined) {
    done = transpileInto(join(CACHE_DIR, hash), wasm);
    transpiled.set(hash, done);
  }
  return done;
}

async function transpileInto(dir: string, wasm: Uint8Array): Promise<Transpiled> {
  if (!existsSync(join(dir, ENTRY))) {
    const { jco } = await toolchain();
    const out = await jco.transpile(wasm, {
      name: "component",
      instantiation: "async",
      noTypescript: true,
    });
    // Written beside, then renamed: a half-written folder is never taken as
    // done, and when another process got there first its copy is kept.
    const tmp = `${dir}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    for (const [name, bytes] of Object.entries(out.files)) {
      mkdirSync(dirname(join(tmp, name)), { recursive: true });
      writeFileSync(join(tmp, name), bytes);
    }
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (!existsSync(join(dir, ENTRY))) throw e;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const mod = (await import(pathToFileURL(join(dir, ENTRY)).href)) as { instantiate: Instantiate };
  const modules = new Map<string, Promise<WebAssembly.Module>>();
  const getCoreModule = (path: string) => {
    let m = modules.get(path);
    if (m === undefined) {
      m = WebAssembly.compile(readFileSync(join(dir, path)));
      modules.set(path, m);
    }
    return m;
  };
  return { dir, instantiate: mod.instantiate, getCoreModule };
}

export interface InstanceOptions {
  /** Guest path → host directory, e.g. { "/data": tmp }. None by default. */
  preopens?: Record<string, string>;
  /** The guest's whole environment (the host's is not passed through). */
  env?: Record<string, string>;
  /** Non-WASI imports by interface name without version, e.g. "secure-log:log/store". */
  imports?: Record<string, unknown>;
}

/** preview2-shim for every `wasi:<package>/<interface>`, with this instance's files and env. */
function wasiImports(options: InstanceOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [pkg, ifaces] of Object.entries(shim)) {
    for (const [name, impl] of Object.entries(ifaces as Record<string, unknown>)) {
      if (name.startsWith("_") || typeof impl !== "object" || impl === null) continue;
      const iface = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      out[`wasi:${pkg}/${iface}`] = impl;
    }
  }
  // Node's shim takes host paths; the browser typings (picked by TS) want an adapter.
  const createFilesystem = shim.filesystem.createFilesystem as unknown as (config: {
    preopens: Record<string, string>;
  }) => { types: unknown; preopens: unknown };
  const files = createFilesystem({ preopens: options.preopens ?? {} });
  out["wasi:filesystem/types"] = files.types;
  out["wasi:filesystem/preopens"] = files.preopens;
  const env = Object.entries(options.env ?? {});
  out["wasi:cli/environment"] = {
    getEnvironment: () => env,
    getArguments: () => [],
    initialCwd: () => undefined,
  };
  return out;
}

/** A fresh instance of the component; its exports by interface name ("log", "encoder", …). */
export async function instantiateComponent<T = Record<string, unknown>>(
  wasmPath: string,
  options: InstanceOptions = {},
): Promise<T> {
  const t = await transpileComponent(wasmPath);
  const imports = { ...wasiImports(options), ...options.imports };
  return (await t.instantiate(t.getCoreModule, imports)) as T;
}

/** jco's import convention: a thrown value's own `payload` becomes the WIT `err`. */
export function asImportError(e: unknown): { payload: unknown } {
  if (typeof e === "object" && e !== null && "payload" in e) return e as { payload: unknown };
  if (typeof e === "object" && e !== null && "tag" in e) return { payload: e };
  return { payload: e instanceof Error ? e.message : String(e) };
}

/**
 * Wraps each method of `impl` so a throw reaches the guest as `err(payload)`:
 * jco traps on a thrown Error without `payload`, so a plain store's Errors
 * become their message (the `string` of `result<T, string>`).
 */
export function importInterface<T extends object>(impl: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let proto: object | null = impl;
  while (proto !== null && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const f = (impl as Record<string, unknown>)[name];
      if (name === "constructor" || name in out || typeof f !== "function") continue;
      out[name] = (...args: unknown[]) => {
        try {
          return (f as (...a: unknown[]) => unknown).apply(impl, args);
        } catch (e) {
          throw asImportError(e);
        }
      };
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return out;
}
