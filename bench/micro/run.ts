// The micro-profile (`npm run bench -- --micro [--rows N]`): builds the
// experiment component (bench/micro/experiment.ts, with bench/micro/micro.wit;
// cached under .cache/micro/ by the hash of its bundle) and reports how long
// each of verify-chain's per-entry steps takes inside StarlingMonkey, in µs
// per row, best of several runs. The host only starts it: the timing is
// performance.now() inside the component, so no boundary crossing is counted.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle } from "../../scripts/lib/bundle";
import { ROOT } from "../../scripts/lib/paths";
import { packageVersion, toolchain } from "../../scripts/lib/toolchain";
import { transpileCached } from "../../verify/transpile-cache";
import { wasiImports } from "../../verify/wasi-imports";

const HERE = import.meta.dirname;
const WIT = join(HERE, "micro.wit");
const CACHE = join(ROOT, ".cache", "micro");

interface Experiment {
  run(steps: string, rows: number, reps: number): string | Promise<string>;
}

async function buildExperiment(): Promise<Uint8Array> {
  const source = await bundle(join(HERE, "experiment.ts"));
  const hash = createHash("sha256")
    .update(source)
    .update(readFileSync(WIT))
    .update(packageVersion("@bytecodealliance/componentize-js"))
    .digest("hex");
  const out = join(CACHE, `${hash}.wasm`);
  if (!existsSync(out)) {
    mkdirSync(CACHE, { recursive: true });
    const sourcePath = join(CACHE, `${hash}.js`);
    writeFileSync(sourcePath, source);
    const { componentize } = await toolchain();
    const { component } = await componentize({
      sourcePath,
      witPath: WIT,
      worldName: "micro",
      disableFeatures: ["http", "fetch-event"],
    });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, component);
    renameSync(tmp, out);
  }
  return new Uint8Array(readFileSync(out));
}

/** [step, µs per row] for every step (or the "|"-separated `steps`), best of `reps`. */
export async function micro(rows: number, steps = "", reps = 5): Promise<[string, number][]> {
  const t = await transpileCached(await buildExperiment());
  const mod = (await import(t.module)) as {
    instantiate: (g: (f: string) => Promise<WebAssembly.Module>, i: unknown) => Promise<Experiment>;
  };
  const dir = await mkdtemp(join(tmpdir(), "secure-log-micro-"));
  try {
    const compile = async (f: string) => WebAssembly.compile(readFileSync(join(t.dir, f)));
    const experiment = await mod.instantiate(
      compile,
      wasiImports(t.imports, { dataDir: dir, env: {} }),
    );
    await experiment.run(steps, Math.min(rows, 50), 1); // warm-up
    return JSON.parse(await experiment.run(steps, rows, reps)) as [string, number][];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatMicro(rows: number, results: [string, number][]): string[] {
  return [
    `micro-profile: verify-chain's steps inside StarlingMonkey, µs per row (${rows} rows, best of 5)`,
    ...results.map(([name, us]) => `${us.toFixed(1).padStart(8)}  ${name}`),
  ];
}
