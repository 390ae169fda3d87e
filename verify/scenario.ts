// The end-to-end scenario, the same for every stack: the log's lifecycle on
// one instance (ed25519 keystore), the other keystore algorithms each on their
// own directory and instances, a new instance on the first directory, and
// tampering with the stored data.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Runner, type RunListener, type VerifyReport } from "./checks";
import { logLifecycle, type LogState } from "./scenario-log";
import { reopenSection, tamperSection } from "./scenario-reopen";
import { keystoreSection } from "./scenario-signing";
import type { InstanceOptions, Stack } from "./stack-api";
import { ALGORITHMS, keystoreEnv } from "./workload";

export interface ScenarioOptions {
  /** An empty directory; each instance gets a subdirectory of it as its data directory. */
  workDir: string;
  listener?: RunListener;
}

export async function runScenario(stack: Stack, options: ScenarioOptions): Promise<VerifyReport> {
  const runner = new Runner(stack.name, options.listener);
  const dir = async (name: string) => {
    const path = join(options.workDir, name);
    await mkdir(path, { recursive: true });
    return path;
  };

  const main: InstanceOptions = { dataDir: await dir("main"), env: keystoreEnv("ed25519") };
  let state: LogState | undefined;
  await runner.section(`log lifecycle (ed25519 keystore, ${main.dataDir})`, async (s) => {
    const api = await stack.instantiate(main);
    state = await logLifecycle(s, api, stack.storeConfig);
  });

  for (const algorithm of ALGORITHMS.filter((a) => a !== "ed25519")) {
    const dataDir = await dir(algorithm);
    await runner.section(`keystore ${algorithm} (${dataDir})`, (s) =>
      keystoreSection(s, stack, algorithm, dataDir),
    );
  }

  if (state !== undefined) {
    const done = state;
    await runner.section("new instance on the same directory", (s) =>
      reopenSection(s, stack, main, done),
    );
    await runner.section("one byte flipped in the stored data", (s) =>
      tamperSection(s, stack, main, done),
    );
  }
  return runner.report();
}
