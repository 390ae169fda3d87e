// componentize-js and jco, loaded once. preview2-shim 0.26 has no default
// preopens, and both tools read files through it (the WIT tree, the source,
// the adapter), so "/" is preopened before either is first imported.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths";

type Componentize = typeof import("@bytecodealliance/componentize-js");
type Jco = typeof import("@bytecodealliance/jco");

export interface Toolchain {
  componentize: Componentize["componentize"];
  jco: Jco;
}

let loading: Promise<Toolchain> | undefined;

export function toolchain(): Promise<Toolchain> {
  loading ??= (async () => {
    const { _setPreopens } = await import("@bytecodealliance/preview2-shim/filesystem");
    _setPreopens({ "/": "/" } as unknown as Parameters<typeof _setPreopens>[0]);
    const [{ componentize }, jco] = await Promise.all([
      import("@bytecodealliance/componentize-js"),
      import("@bytecodealliance/jco"),
    ]);
    return { componentize, jco };
  })();
  return loading;
}

/** The installed version of a package, read from node_modules without loading it. */
export function packageVersion(name: string): string {
  const pkg = JSON.parse(
    readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8"),
  ) as {
    version?: string;
  };
  if (pkg.version === undefined)
    throw new Error(`node_modules/${name}/package.json has no version`);
  return pkg.version;
}
