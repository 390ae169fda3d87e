// Bundles a JS component's entry into one ES module for componentize-js.
// WIT interfaces ("secure-log:log/store@0.1.0", "keys:keystore/signer",
// "wasi:filesystem/types@0.2.12") stay imports: componentize-js binds them.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";
import { WIT_DIR } from "./paths";

// namespace:package/interface[@version]; "node:fs" has no "/" after the package.
const WIT_SPECIFIER = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*(@[0-9A-Za-z.+-]+)?$/;
const WASI_SPECIFIER = /^(wasi:[a-z0-9-]+\/[a-z0-9-]+)@0\.2\.[0-9]+$/;

/** The WASI version vendored in wit/deps (see wit/deps/wasi-io/README.md). */
export function vendoredWasiVersion(): string {
  const text = readFileSync(join(WIT_DIR, "deps", "wasi-io", "package.wit"), "utf8");
  const m = /^package wasi:io@([0-9.]+);/m.exec(text);
  if (!m) throw new Error("wit/deps/wasi-io/package.wit: no 'package wasi:io@<version>;' line");
  return m[1]!;
}

/**
 * Leaves WIT imports to componentize-js. A `wasi:*@0.2.x` import is moved to
 * the vendored 0.2 version, as component linking would (semver-compatible
 * imports merge to the newest), so sources written against another 0.2 patch
 * release still bind.
 */
function witImports(wasiVersion: string): Plugin {
  return {
    name: "wit-imports",
    setup(b) {
      b.onResolve({ filter: /^[a-z][a-z0-9-]*:/ }, (args) => {
        if (!WIT_SPECIFIER.test(args.path)) return undefined;
        const wasi = WASI_SPECIFIER.exec(args.path);
        const path = wasi ? `${wasi[1]}@${wasiVersion}` : args.path;
        return { path, external: true };
      });
    },
  };
}

export async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    legalComments: "none",
    logLevel: "silent",
    plugins: [witImports(vendoredWasiVersion())],
  });
  const out = result.outputFiles[0];
  if (out === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return out.text;
}
