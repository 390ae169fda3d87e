// A composed dist stack run in Node: transpiled once by jco (cached), then
// instantiated as often as the scenario needs, each instance with its own
// preopened data directory and environment. Exports arrive in jco's shape;
// a WIT `err` is thrown as a ComponentError whose `payload` is the log-error.

import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { InstanceOptions, Stack, StackApi, StoredEntry } from "./stack-api";
import { FILE_STORE, storeConfigOf, storeOfStack, type StoreKind } from "./stores";
import { transpileCached, type Transpiled } from "./transpile-cache";
import { wasiImports } from "./wasi-imports";

/** The file store's data file inside the data directory. */
export const DATA_FILE = FILE_STORE.dataFile;

type Fn = (...args: never[]) => unknown;
type Interface = Record<string, Fn>;
type Instantiate = (
  getCoreModule: (path: string) => Promise<WebAssembly.Module>,
  imports: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** The exports of one instance, keyed by interface name without the version. */
export interface WasmExports {
  log: Interface;
  checkpoint: Interface;
  encoder: Interface;
  logger: Interface | undefined;
}

function exported(
  root: Record<string, unknown>,
  name: string,
  short: string,
): Interface | undefined {
  const found = Object.entries(root).find(([k]) => k === short || k.split("@")[0] === name);
  return found?.[1] as Interface | undefined;
}

function need(i: Interface | undefined, name: string): Interface {
  if (i === undefined) throw new Error(`the stack does not export ${name}`);
  return i;
}

/** Adapts the WIT exports to StackApi; every call becomes async so a throw is a rejection. */
export function stackApi(x: WasmExports): StackApi {
  const call =
    (i: Interface, fn: string) =>
    async (...args: unknown[]) =>
      (i[fn] as (...a: unknown[]) => unknown)(...args);
  const { log, checkpoint } = x;
  return {
    open: call(log, "open"),
    append: call(log, "append"),
    appendWithEncoding: call(log, "appendWithEncoding"),
    read: call(log, "read"),
    head: call(log, "head"),
    verifyChain: call(log, "verifyChain"),
    closeSegment: call(log, "closeSegment"),
    listSegments: call(log, "listSegments"),
    readSegment: call(log, "readSegment"),
    buildInclusionProof: call(log, "buildInclusionProof"),
    verifyInclusionProof: call(log, "verifyInclusionProof"),
    createStream: call(log, "createStream"),
    listStreams: call(log, "listStreams"),
    deprecateStream: call(log, "deprecateStream"),
    signSegment: call(checkpoint, "signSegment"),
    verifySegmentSignature: call(checkpoint, "verifySegmentSignature"),
    verifyCheckpointChain: call(checkpoint, "verifyCheckpointChain"),
  } as StackApi;
}

export class WasmStack implements Stack {
  readonly storeConfig: string;
  private readonly modules = new Map<string, Promise<WebAssembly.Module>>();

  private constructor(
    readonly name: string,
    /** The store the stack keeps its data in, from its definition in compose/stacks.ts. */
    readonly store: StoreKind,
    readonly transpiled: Transpiled,
    private readonly instantiateFn: Instantiate,
  ) {
    this.storeConfig = storeConfigOf(store);
  }

  /** Transpiles (or finds in the cache) and imports the stack at `path`. */
  static async load(path: string, log: (line: string) => void = () => {}): Promise<WasmStack> {
    const store = storeOfStack(path);
    const rel = relative(process.cwd(), path);
    const shown = rel === "" || rel.startsWith("..") ? path : rel;
    const bytes = await readFile(path);
    const start = performance.now();
    const transpiled = await transpileCached(bytes);
    const ms = (performance.now() - start).toFixed(0);
    const how = transpiled.fresh ? `transpiled in ${ms} ms` : "transpile cached";
    log(
      `${shown}: sha256 ${transpiled.hash.slice(0, 16)}…, ${how} (${relative(process.cwd(), transpiled.dir)})`,
    );
    const mod = (await import(pathToFileURL(transpiled.module).href)) as {
      instantiate: Instantiate;
    };
    return new WasmStack(shown, store, transpiled, mod.instantiate);
  }

  /** Core modules are compiled once per stack; instances never share memory. */
  private coreModule = (file: string): Promise<WebAssembly.Module> => {
    let m = this.modules.get(file);
    if (m === undefined) {
      m = readFile(join(this.transpiled.dir, file)).then((b) => WebAssembly.compile(b));
      this.modules.set(file, m);
    }
    return m;
  };

  /** A new component instance: fresh linear memories, its own preopen and environment. */
  async instantiateExports(options: InstanceOptions): Promise<WasmExports> {
    // The remote store adds its server's endpoint and token (and starts the server).
    const storeEnv = (await this.store.environment?.(options.dataDir, options.env)) ?? {};
    const env = { ...options.env, ...storeEnv };
    const imports = wasiImports(this.transpiled.imports, { ...options, env });
    const root = await this.instantiateFn(this.coreModule, imports);
    return {
      log: need(exported(root, "secure-log:log/log", "log"), "secure-log:log/log"),
      checkpoint: need(
        exported(root, "secure-log:log/checkpoint", "checkpoint"),
        "secure-log:log/checkpoint",
      ),
      encoder: need(exported(root, "secure-log:log/encoder", "encoder"), "secure-log:log/encoder"),
      logger: exported(root, "tegmentum:log/logger", "logger"),
    };
  }

  async instantiate(options: InstanceOptions): Promise<StackApi> {
    return stackApi(await this.instantiateExports(options));
  }

  tamperEntry(dataDir: string, entry: StoredEntry): Promise<string> {
    return this.store.tamperEntry(dataDir, entry);
  }

  /** Stops what the store started for the instances (the remote store's servers). */
  async close(): Promise<void> {
    await this.store.close?.();
  }
}
