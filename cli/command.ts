// One command: its flags, help text and what it does.

import type { FlagSpec, Parsed } from "./args";
import type { Globals } from "./context";

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines describing the command's own flags. */
  options?: readonly string[];
  examples: readonly string[];
  flags: Record<string, FlagSpec>;
  /** Writes its output and resolves to the exit code. */
  run(p: Parsed, g: Globals): Promise<number>;
}

export const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
