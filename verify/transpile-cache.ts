// `jco transpile` of a stack, cached by the sha256 of its bytes under
// .cache/transpile/<hash>/. Transpiled with `instantiation: "async"`, so the
// output is a module exporting `instantiate(getCoreModule, imports)`: every
// call makes a new component instance with the imports it is given (see
// verify/README.md for why that, and not a fresh import, is the fresh instance).

import { createHash } from "node:crypto";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { transpile } from "@bytecodealliance/jco";

export const CACHE_ROOT = join(import.meta.dirname, "..", ".cache", "transpile");

export interface Transpiled {
  /** sha256 of the component, hex. */
  hash: string;
  dir: string;
  /** The JS module exporting `instantiate`. */
  module: string;
  /** The component's import names, as the `imports` object must key them. */
  imports: string[];
  /** True when this call ran jco (a cache miss). */
  fresh: boolean;
}

const NAME = "stack";
const MANIFEST = "manifest.json";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

export async function transpileCached(
  bytes: Uint8Array,
  cacheRoot = CACHE_ROOT,
): Promise<Transpiled> {
  const hash = createHash("sha256").update(bytes).digest("hex");
  const dir = join(cacheRoot, hash);
  const manifest = join(dir, MANIFEST);
  const done = (fresh: boolean, imports: string[]): Transpiled => ({
    hash,
    dir,
    module: join(dir, `${NAME}.js`),
    imports,
    fresh,
  });
  // The manifest is written last, so its presence means the directory is whole.
  if (await exists(manifest)) {
    return done(
      false,
      (JSON.parse(await readFile(manifest, "utf8")) as { imports: string[] }).imports,
    );
  }

  const { files, imports } = await transpile(bytes, {
    name: NAME,
    instantiation: "async",
    noTypescript: true,
    quiet: true,
  });
  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  for (const [name, content] of Object.entries(files)) {
    const path = join(staging, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  // An ES module next to the output, whatever the nearest package.json says.
  await writeFile(join(staging, "package.json"), '{ "type": "module" }\n');
  await writeFile(join(staging, MANIFEST), JSON.stringify({ imports }, null, 2));
  try {
    await rename(staging, dir);
  } catch (e) {
    // Another process finished the same transpile first; its copy is identical.
    await rm(staging, { recursive: true, force: true });
    if (!(await exists(manifest))) throw e;
  }
  return done(true, imports);
}
