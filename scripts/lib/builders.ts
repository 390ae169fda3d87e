// One builder per component kind. A builder first `prepare`s cheaply (bundle,
// read sources) and names every input that decides the output; the build
// runs only when that key is not in the cache. A C component (the SQLite
// engine, scripts/lib/build-sqlite-engine.ts) plugs in as one more kind whose
// key is its sources and flags and whose build runs clang and `componentNew`.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSqliteEngine } from "./build-sqlite-engine";
import { bundle } from "./bundle";
import type { ComponentSpec } from "./components";
import type { KeyPart } from "./hash";
import { hashWitTree } from "./hash";
import { BUILD_CACHE_DIR, WIT_DIR } from "./paths";
import { packageVersion, toolchain } from "./toolchain";

export interface Prepared {
  /** Everything the output depends on. */
  key: KeyPart[];
  /** Produces the component; `keyHash` names its cache entry. */
  build(keyHash: string): Promise<Uint8Array>;
}

export interface Builder {
  prepare(spec: ComponentSpec): Promise<Prepared>;
}

const js: Builder = {
  async prepare(spec) {
    const source = await bundle(spec.entry);
    const disableFeatures = [...spec.disableFeatures].sort();
    const key: KeyPart[] = [
      ["kind", "js"],
      ["bundle", source],
      ["wit", hashWitTree(WIT_DIR)],
      ["world", spec.world],
      ["disable-features", disableFeatures.join(",")],
      ["componentize-js", packageVersion("@bytecodealliance/componentize-js")],
      // jco supplies the preview1 adapter, which decides the WASI version.
      ["jco", packageVersion("@bytecodealliance/jco")],
    ];
    return {
      key,
      async build(keyHash) {
        // Kept beside the output: componentize-js reads the source from a file,
        // and a trap's stack names lines of this bundle.
        const sourcePath = join(BUILD_CACHE_DIR, `${keyHash}.js`);
        writeFileSync(sourcePath, source);
        const { componentize } = await toolchain();
        const { component } = await componentize({
          sourcePath,
          witPath: WIT_DIR,
          worldName: spec.world,
          disableFeatures,
        });
        return component;
      },
    };
  },
};

// The SQLite engine in C: clang + componentNew, with its own compile cache
// (scripts/lib/build-sqlite-engine.ts); its key is that build's hash.
const sqliteEngine: Builder = {
  async prepare() {
    const engine = await buildSqliteEngine();
    return {
      key: [
        ["kind", "sqlite-engine"],
        ["engine", engine.hash],
      ],
      build: async () => new Uint8Array(readFileSync(engine.wasmPath)),
    };
  },
};

export const BUILDERS: Readonly<Record<string, Builder>> = { js, "sqlite-engine": sqliteEngine };
