// A small argument parser: global flags anywhere, command flags after the
// command, `--flag value` or `--flag=value`, and `-` as a positional (stdin).

import { usageError } from "./output";

export interface FlagSpec {
  /** Takes a value (`--stream S`) or is a switch (`--json`). */
  value: boolean;
  short?: string;
}

export interface Parsed {
  flags: Map<string, string | true>;
  positionals: string[];
}

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  stack: { value: true },
  data: { value: true },
  json: { value: false },
  help: { value: false, short: "h" },
};

export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>): Parsed {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  const all = { ...GLOBAL_FLAGS, ...specs };
  const byShort = new Map(
    Object.entries(all).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else if (arg.length === 2 && arg.startsWith("-") && arg !== "-") {
      name = byShort.get(arg.slice(1));
      if (name === undefined) throw usageError(`unknown option ${arg}; see --help`);
    } else {
      positionals.push(arg);
      continue;
    }
    const spec = all[name];
    if (spec === undefined) throw usageError(`unknown option --${name}; see --help`);
    if (!spec.value) {
      if (inline !== undefined) throw usageError(`--${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw usageError(`--${name} needs a value; see --help`);
    flags.set(name, value);
  }
  return { flags, positionals };
}

export function flag(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === "string" ? v : undefined;
}

export const has = (p: Parsed, name: string): boolean => p.flags.has(name);

/** A u64 argument (seqno, segment id). */
export function parseU64(text: string | undefined, what: string): bigint {
  if (text === undefined) throw usageError(`missing ${what}; see --help`);
  if (!/^[0-9]+$/.test(text)) throw usageError(`${what} must be a whole number, got '${text}'`);
  return BigInt(text);
}

/** A positive count (`-n N`). */
export function parseCount(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) === 0) {
    throw usageError(`${what} must be a positive whole number, got '${text}'`);
  }
  return Number(text);
}

/** Exactly `n` positionals, or a usage error naming what is missing or extra. */
export function positionals(p: Parsed, names: readonly string[], optional = 0): string[] {
  const got = p.positionals;
  if (got.length < names.length - optional) {
    throw usageError(`missing ${names[got.length]}; see --help`);
  }
  if (got.length > names.length) throw usageError(`unexpected argument '${got[names.length]}'`);
  return got;
}
