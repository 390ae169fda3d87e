// Builds components/sqlite-engine: the SQLite amalgamation and our hand-written
// Canonical ABI glue (C), compiled for wasm32-wasi by Debian's clang-14 against
// wasi-libc, then made a WASI P2 component with jco and its preview1 reactor
// adapter. The output is cached by a hash of every input, so an unchanged
// engine costs a hash, not a compile; sqlite3.o is cached on its own, so a
// change to the glue recompiles only the glue. See docs/design/sqlite-engine.md.

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { hashKey, type KeyPart } from "./hash";
import { COMPONENTS_DIR, DIST_COMPONENTS_DIR, ROOT, WIT_DIR } from "./paths";
import { packageVersion } from "./toolchain";

/** The npm package whose tarball ships the amalgamation (deps/sqlite3/), pinned. */
export const BETTER_SQLITE3 = {
  version: "13.2.0",
  /** SQLite 3.54.1; `npm pack --json` prints this for the version above. */
  integrity:
    "sha512-Z8Q/9x/uNyKxA1v4FNodyItRVRw1TeKBrmj32JhxhR0ceNcBY+wMobt/Bv7M7TzwPAXjnZRtNaEsATnUZSKWZQ==",
} as const;

/** Debian packages the compile needs, each with a file that shows it is installed. */
const APT_PACKAGES: ReadonlyArray<readonly [pkg: string, installed: () => boolean]> = [
  ["clang-14", () => existsSync("/usr/lib/llvm-14/bin/clang")],
  ["lld-14", () => existsSync("/usr/lib/llvm-14/bin/wasm-ld")],
  ["wasi-libc", () => existsSync("/usr/lib/wasm32-wasi/libc.a")],
  ["libclang-rt-14-dev-wasm32", () => clangRuntimeDirs().length > 0],
];

/** The resource directories (lib/clang/<version>) that hold the wasm32 builtins. */
function clangRuntimeDirs(): string[] {
  const base = "/usr/lib/llvm-14/lib/clang";
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .map((v) => join(base, v))
    .filter((dir) => existsSync(join(dir, "lib", "wasi", "libclang_rt.builtins-wasm32.a")));
}

const CLANG = "/usr/lib/llvm-14/bin/clang";

/** Compile-time SQLite options; docs/design/sqlite-engine.md says why each. */
export const SQLITE_DEFINES: readonly string[] = [
  "SQLITE_THREADSAFE=0",
  "SQLITE_OMIT_LOAD_EXTENSION",
  "SQLITE_MAX_MMAP_SIZE=0",
  "SQLITE_TEMP_STORE=3",
  "SQLITE_DEFAULT_LOCKING_MODE=1",
  "SQLITE_USE_URI=1",
  'SQLITE_DEFAULT_UNIX_VFS="unix-none"',
  "SQLITE_DEFAULT_SYNCHRONOUS=2",
  "SQLITE_DEFAULT_WAL_SYNCHRONOUS=2",
  "SQLITE_DEFAULT_FOREIGN_KEYS=1",
  "SQLITE_DEFAULT_CACHE_SIZE=-16000",
  "SQLITE_DEFAULT_PAGE_SIZE=16384",
  "HAVE_PREAD",
  "HAVE_PWRITE",
  "SQLITE_DEFAULT_MEMSTATUS=0",
  "SQLITE_DQS=0",
  "SQLITE_LIKE_DOESNT_MATCH_BLOBS",
  "SQLITE_OMIT_DEPRECATED",
  "SQLITE_OMIT_SHARED_CACHE",
];

const CFLAGS: readonly string[] = ["--target=wasm32-wasi", "-O2", "-g0"];
const GLUE_CFLAGS: readonly string[] = ["-std=c11", "-Wall", "-Wextra", "-Werror"];
const LDFLAGS: readonly string[] = [
  "-nostartfiles",
  "-Wl,--no-entry",
  "-Wl,--strip-all",
  // A 1 MiB stack below the data: an overflow traps instead of overwriting the heap.
  "-Wl,--stack-first",
  "-Wl,-z,stack-size=1048576",
];

const ENGINE_DIR = join(COMPONENTS_DIR, "sqlite-engine");
const SRC_DIR = join(ENGINE_DIR, "src");
const WIT_FILE = join(WIT_DIR, "deps", "sqlite-engine", "engine.wit");
export const SQLITE_ENGINE_WORLD = "secure-log:sqlite/sqlite-engine@0.1.0";
/** Tarball, amalgamation, sysroot, objects and outputs (`<hash>.wasm`). */
const CACHE_DIR = join(ROOT, ".cache", "sqlite-engine");
export const SQLITE_ENGINE_WASM = join(DIST_COMPONENTS_DIR, "sqlite-engine.wasm");

export interface SqliteEngineBuild {
  /** dist/components/sqlite-engine.wasm */
  wasmPath: string;
  /** True when the cache held this exact engine and nothing was compiled. */
  cached: boolean;
  /** The cache key: equal hashes are equal engines. */
  hash: string;
}

/** Builds (or takes from the cache) dist/components/sqlite-engine.wasm. */
export async function buildSqliteEngine(): Promise<SqliteEngineBuild> {
  ensureToolchain();
  const key = engineKey();
  const hash = hashKey(key);
  const cachePath = join(CACHE_DIR, `${hash}.wasm`);
  const cached = existsSync(cachePath);
  if (!cached) {
    const component = await compileEngine(hash);
    writeAtomically(cachePath, component);
  }
  mkdirSync(DIST_COMPONENTS_DIR, { recursive: true });
  copyFileSync(cachePath, SQLITE_ENGINE_WASM);
  return { wasmPath: SQLITE_ENGINE_WASM, cached, hash };
}

function engineKey(): KeyPart[] {
  return [
    ["kind", "c"],
    ["better-sqlite3", `${BETTER_SQLITE3.version} ${BETTER_SQLITE3.integrity}`],
    ["defines", SQLITE_DEFINES.join("\n")],
    ["cflags", [...CFLAGS, "|", ...GLUE_CFLAGS, "|", ...LDFLAGS].join(" ")],
    ["toolchain", toolchainVersions()],
    ["wit", readFileSync(WIT_FILE)],
    ["world", SQLITE_ENGINE_WORLD],
    ...glueSources().map(([name, path]): KeyPart => [`src/${name}`, readFileSync(path)]),
    // jco turns the module into a component and ships the adapter.
    ["jco", packageVersion("@bytecodealliance/jco")],
  ];
}

let aptUpdated = false;

/** Installs missing compiler packages when running as root; otherwise says what to install. */
function ensureToolchain(): void {
  const missing = APT_PACKAGES.filter(([, installed]) => !installed()).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(" ")}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`the SQLite engine needs Debian packages that are missing: run '${command}'`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // Another build (a parallel test file) may be installing too: wait for its lock.
  const wait = ["-o", "DPkg::Lock::Timeout=600"];
  if (!aptUpdated) {
    run("apt-get", [...wait, "update"], { env });
    aptUpdated = true;
  }
  run("apt-get", [...wait, "install", "-y", "--no-install-recommends", ...missing], { env });
  const still = APT_PACKAGES.filter(([, installed]) => !installed()).map(([pkg]) => pkg);
  if (still.length > 0)
    throw new Error(`'${command}' ran but ${still.join(", ")} is still missing`);
}

function toolchainVersions(): string {
  const pkgs = APT_PACKAGES.map(([pkg]) => pkg);
  return run("dpkg-query", ["-W", "-f", "${Package}=${Version}\n", ...pkgs]);
}

/** The glue's C sources and headers, by name, in a stable order. */
function glueSources(): Array<[name: string, path: string]> {
  return readdirSync(SRC_DIR)
    .filter((f) => f.endsWith(".c") || f.endsWith(".h"))
    .sort()
    .map((f) => [f, join(SRC_DIR, f)]);
}

async function compileEngine(hash: string): Promise<Uint8Array> {
  const amalgamation = fetchAmalgamation();
  const sysroot = ensureSysroot();
  const work = join(CACHE_DIR, `work-${hash.slice(0, 16)}-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const common = [...CFLAGS, `--sysroot=${sysroot}`, ...SQLITE_DEFINES.map((d) => `-D${d}`)];
    const glue = glueSources().filter(([name]) => name.endsWith(".c"));
    // sqlite3.c takes about half a minute; the glue compiles beside it.
    const [sqliteObject, ...glueObjects] = await Promise.all([
      compileSqlite(amalgamation, common),
      ...glue.map(async ([name, path]) => {
        const out = join(work, name.replace(/\.c$/, ".o"));
        await runAsync(CLANG, [
          ...common,
          ...GLUE_CFLAGS,
          `-I${amalgamation}`,
          "-c",
          path,
          "-o",
          out,
        ]);
        return out;
      }),
    ]);
    const core = join(work, "sqlite-engine.core.wasm");
    await runAsync(CLANG, [
      ...CFLAGS,
      `--sysroot=${sysroot}`,
      ...LDFLAGS,
      sqliteObject,
      ...glueObjects,
      "-o",
      core,
    ]);
    return await componentize(readFileSync(core));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** sqlite3.o, cached by the amalgamation and every flag that reaches it. */
async function compileSqlite(amalgamation: string, flags: string[]): Promise<string> {
  const source = join(amalgamation, "sqlite3.c");
  const key = hashKey([
    ["sqlite3.c", BETTER_SQLITE3.integrity],
    ["flags", flags.join(" ")],
    ["toolchain", toolchainVersions()],
  ]);
  const object = join(CACHE_DIR, "obj", `sqlite3-${key.slice(0, 32)}.o`);
  if (existsSync(object)) return object;
  mkdirSync(join(CACHE_DIR, "obj"), { recursive: true });
  const tmp = `${object}.${process.pid}.tmp`;
  await runAsync(CLANG, [...flags, "-c", source, "-o", tmp]);
  renameSync(tmp, object);
  return object;
}

async function componentize(core: Uint8Array): Promise<Uint8Array> {
  const jco = await import("@bytecodealliance/jco");
  const adapter = readFileSync(fileURLToPath(jco.preview1AdapterReactorPath()));
  // WIT is passed as source: jco reads paths through preview2-shim, which has no preopens.
  const embedded = await jco.componentEmbed({
    binary: core,
    witSource: readFileSync(WIT_FILE, "utf8"),
    world: SQLITE_ENGINE_WORLD,
    stringEncoding: "utf8",
  });
  return jco.componentNew(embedded, [["wasi_snapshot_preview1", adapter]]);
}

/** .cache/sqlite-engine/better-sqlite3-<version>/ holding sqlite3.c and sqlite3.h. */
function fetchAmalgamation(): string {
  const dir = join(CACHE_DIR, `better-sqlite3-${BETTER_SQLITE3.version}`);
  if (existsSync(join(dir, "sqlite3.c")) && existsSync(join(dir, "sqlite3.h"))) return dir;
  // Everything lands in a folder of this process first: builds may run in parallel.
  const scratch = join(CACHE_DIR, `fetch-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    const tarball = join(CACHE_DIR, `better-sqlite3-${BETTER_SQLITE3.version}.tgz`);
    if (!existsSync(tarball) || integrityOf(tarball) !== BETTER_SQLITE3.integrity) {
      const spec = `better-sqlite3@${BETTER_SQLITE3.version}`;
      run("npm", ["pack", spec, "--pack-destination", scratch, "--silent"]);
      const packed = join(scratch, `better-sqlite3-${BETTER_SQLITE3.version}.tgz`);
      const integrity = integrityOf(packed);
      if (integrity !== BETTER_SQLITE3.integrity) {
        throw new Error(
          `npm pack ${spec}: integrity ${integrity}, expected ${BETTER_SQLITE3.integrity} ` +
            "(pinned in scripts/lib/build-sqlite-engine.ts)",
        );
      }
      renameSync(packed, tarball);
    }
    const files = ["sqlite3.c", "sqlite3.h"].map((f) => `package/deps/sqlite3/${f}`);
    run("tar", ["-xzf", tarball, "-C", scratch, ...files]);
    try {
      renameSync(join(scratch, "package", "deps", "sqlite3"), dir);
    } catch (e) {
      if (!existsSync(join(dir, "sqlite3.c"))) throw e; // else a parallel build got there first
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}

function integrityOf(path: string): string {
  return `sha512-${createHash("sha512").update(readFileSync(path)).digest("base64")}`;
}

/** clang's wasm32-wasi driver wants <sysroot>/include and <sysroot>/lib/wasm32-wasi. */
function ensureSysroot(): string {
  const sysroot = join(CACHE_DIR, "sysroot");
  const links: Array<[link: string, target: string]> = [
    [join(sysroot, "include"), "/usr/include/wasm32-wasi"],
    [join(sysroot, "lib", "wasm32-wasi"), "/usr/lib/wasm32-wasi"],
  ];
  for (const [link, target] of links) {
    if (existsSync(link)) continue;
    mkdirSync(join(link, ".."), { recursive: true });
    rmSync(link, { force: true });
    try {
      symlinkSync(target, link);
    } catch (e) {
      if (!existsSync(link)) throw e; // else a parallel build made it
    }
  }
  return sysroot;
}

function writeAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(join(path, ".."), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].join(" ");
}

function run(
  command: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv } = {},
): string {
  const r = spawnSync(command, args, { encoding: "utf8", env: opts.env, maxBuffer: 64 << 20 });
  if (r.error !== undefined)
    throw new Error(`${commandLine(command, args)}: ${r.error.message}`, { cause: r.error });
  if (r.status !== 0) {
    throw new Error(
      `${commandLine(command, args)} exited ${r.status}:\n${tail(r.stderr || r.stdout)}`,
    );
  }
  return r.stdout;
}

function runAsync(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (e) =>
      reject(new Error(`${commandLine(command, args)}: ${e.message}`, { cause: e })),
    );
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${commandLine(command, args)} exited ${code}:\n${tail(stderr)}`));
    });
  });
}

function tail(text: string): string {
  return text.split("\n").slice(-40).join("\n");
}

// `npx tsx scripts/lib/build-sqlite-engine.ts` builds the engine alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  buildSqliteEngine().then(
    (r) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `${r.wasmPath} ${r.cached ? "cached" : "built"} ${seconds} s ${r.hash.slice(0, 12)}`,
      );
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
