// `npm start`: the main job from a clean checkout. Builds the components
// (cached by content hash), composes the stacks (cached likewise), runs the
// end-to-end harness on the default stack and prints its report. Exits 1 when
// a check fails.

import { pathToFileURL } from "node:url";
import { DEFAULT_STACK, stackNamed, STACKS } from "../compose/stacks";
import { passed } from "../verify/checks";
import { verify } from "../verify/run";
import { buildComponents, formatResult } from "./build";
import { composeStacks, formatCompose, stackPath, type ComposeResult } from "./compose";

/**
 * Builds what the named stacks are made of and composes them (all stacks when
 * none are named). Both steps are cached, so an unchanged tree costs seconds.
 */
export async function prepareStacks(
  names: readonly string[] = [],
  log: (line: string) => void = () => {},
): Promise<ComposeResult[]> {
  const defs = names.length === 0 ? STACKS : names.map(stackNamed);
  const parts = [...new Set(defs.flatMap((d) => [d.socket, ...d.plugs]))];
  await buildComponents(parts, (r) => log(formatResult(r)));
  return composeStacks(
    defs.map((d) => d.name),
    (r) => log(formatCompose(r)),
  );
}

/** The named stack's path (dist/<name>.wasm), built and composed. */
export async function prepareStack(name: string, log?: (line: string) => void): Promise<string> {
  await prepareStacks([name], log);
  return stackPath(name);
}

/** The default stack's path (compose/stacks.ts DEFAULT_STACK), built and composed. */
export const prepareDefaultStack = (log?: (line: string) => void): Promise<string> =>
  prepareStack(DEFAULT_STACK, log);

async function main(): Promise<number> {
  const log = (line: string) => console.log(line);
  log("build and compose");
  await prepareStacks([], (line) => log(`  ${line}`));
  log("");
  const report = await verify({ stack: stackPath(DEFAULT_STACK) });
  return passed(report) ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 2;
    },
  );
}
