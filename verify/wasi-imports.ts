// The WASI imports of one instance, from @bytecodealliance/preview2-shim.
// The shim's `_setPreopens`/`_setEnv` change process-wide state that every
// instance shares, so they cannot give two instances two directories. Instead
// each instance gets its own `wasi:filesystem` from `createFilesystem` (a
// private preopen table) and its own `wasi:cli/environment` object; the other
// interfaces (io, clocks, random, stdio) hold no per-guest state.

import * as shim from "@bytecodealliance/preview2-shim";

/** Where the data directory appears inside the guest. */
export const GUEST_DATA_DIR = "/data";

export interface WasiOptions {
  /** Host directory preopened as GUEST_DATA_DIR. */
  dataDir: string;
  env: Record<string, string>;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

type Interface = Record<string, unknown>;

// TypeScript resolves the shim's browser typings ("Bundler" resolution has no
// "node" condition); at run time Node loads the nodejs build, whose
// createFilesystem takes host paths.
type NodeCreateFilesystem = (config: {
  preopens: Record<string, string>;
}) => Record<string, Interface>;

/**
 * The `imports` object for a transpiled component whose imports are `names`.
 * `others` supplies non-WASI imports by name (a single component on its own,
 * as the benchmark's profile runs it); a stack needs none.
 */
export function wasiImports(
  names: readonly string[],
  options: WasiOptions,
  others: Record<string, Interface> = {},
): Record<string, Interface> {
  const createFilesystem = shim.filesystem.createFilesystem as unknown as NodeCreateFilesystem;
  const filesystem = createFilesystem({ preopens: { [GUEST_DATA_DIR]: options.dataDir } });
  const environment: Interface = {
    getEnvironment: () => Object.entries(options.env),
    getArguments: () => [],
    initialCwd: () => undefined,
  };
  const packages = shim as unknown as Record<string, Record<string, Interface>>;

  const wasi = (name: string): Interface | undefined => {
    const m = /^wasi:([a-z0-9-]+)\/([a-z0-9-]+)(@.+)?$/.exec(name);
    if (m === null) return undefined;
    const [pkg, iface] = [camel(m[1]!), camel(m[2]!)];
    if (pkg === "cli" && iface === "environment") return environment;
    if (pkg === "filesystem") return filesystem[iface];
    return packages[pkg]?.[iface];
  };

  const imports: Record<string, Interface> = {};
  for (const name of names) {
    const provided = others[name] ?? others[name.split("@")[0]!] ?? wasi(name);
    if (provided === undefined) {
      throw new Error(
        `the stack imports ${name}, which the harness does not provide (only wasi:* from preview2-shim)`,
      );
    }
    imports[name] = provided;
  }
  return imports;
}
