// The harness CLI: runs the end-to-end scenario on one stack and prints the
// report; exits 1 when any check fails.
//
//   npx tsx verify/run.ts [--stack dist/secure-log-file.wasm | --stack node] [--keep]
//
// The default is compose/stacks.ts's DEFAULT_STACK (dist/secure-log-sqlite.wasm);
// `--stack node` runs the in-process baseline. The data directories are
// removed afterwards unless the run failed or `--keep` is given.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_STACK as DEFAULT_STACK_NAME } from "../compose/stacks";
import { passed, type VerifyReport } from "./checks";
import { NodeStack } from "./node-stack";
import { formatCheck, formatSection, formatSummary, styleFor } from "./report";
import { runScenario } from "./scenario";
import type { Stack } from "./stack-api";
import { WasmStack } from "./wasm-stack";

export const DEFAULT_STACK = join("dist", `${DEFAULT_STACK_NAME}.wasm`);

const USAGE = "usage: verify/run.ts [--stack <dist/*.wasm | node>] [--keep]";

export interface VerifyOptions {
  /** A composed stack's path, or "node" for the in-process baseline. */
  stack: string;
  keep?: boolean;
  out?: (line: string) => void;
  colour?: boolean;
}

export async function loadStack(
  spec: string,
  log: (line: string) => void = () => {},
): Promise<Stack> {
  return spec === "node" ? new NodeStack() : WasmStack.load(spec, log);
}

/** Loads the stack, runs the scenario and prints the report as it goes. */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const out = options.out ?? ((line: string) => console.log(line));
  const style = { colour: options.colour ?? styleFor(process.stdout).colour };
  const stack = await loadStack(options.stack, out);
  const workDir = await mkdtemp(join(tmpdir(), "secure-log-verify-"));
  out(`secure-log verify: ${stack.name}`);
  const report = await runScenario(stack, {
    workDir,
    listener: {
      section: (title) => out(`\n${formatSection(title, style)}`),
      check: (c) => out(formatCheck(c, style)),
    },
  });
  out(`\n${formatSummary(report, style)}`);
  if (options.keep || !passed(report)) out(`data kept in ${workDir}`);
  else await rm(workDir, { recursive: true, force: true });
  return report;
}

function parseArgs(argv: readonly string[]): VerifyOptions {
  const options: VerifyOptions = { stack: DEFAULT_STACK };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--stack" && argv[i + 1] !== undefined) options.stack = argv[++i]!;
    else if (arg.startsWith("--stack=")) options.stack = arg.slice("--stack=".length);
    else if (arg === "--keep") options.keep = true;
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const report = await verify(parseArgs(process.argv.slice(2)));
    process.exitCode = passed(report) ? 0 : 1;
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  }
}
