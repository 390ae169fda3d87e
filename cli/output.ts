// Output for people and for machines: aligned tables, colour only on a TTY,
// errors that carry an exit code and say what to do next.

import { describe, type LogError } from "../src/core/errors";

export const EXIT = { ok: 0, verifyFailed: 1, usage: 2, store: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as one message and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);

const tty = (): boolean => process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined;

const paint = (code: string) => (text: string) => (tty() ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint("1");
export const green = paint("32");
export const red = paint("31");
export const dim = paint("2");

/** Rows padded to their widest cell per column (the last column is never padded). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [bold(line(headers)), ...rows.map(line)].join("\n");
}

/** Key/value lines with the keys aligned. */
export function fields(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

/** JSON with bigints as numbers-in-strings-free decimal and bytes as hex; `indent` 0 gives one line. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
      return v;
    },
    indent,
  );
}

export function isLogError(v: unknown): v is LogError {
  return typeof v === "object" && v !== null && typeof (v as { tag?: unknown }).tag === "string";
}

/** The WIT log-error a stack call rejected with, if it is one. */
export function logErrorOf(e: unknown): LogError | undefined {
  const payload = (e as { payload?: unknown } | null)?.payload;
  return isLogError(payload) ? payload : undefined;
}

/** A stack call's failure as a CliError: what went wrong, what to do, which exit code. */
export function fromLogError(e: LogError): CliError {
  const text = describe(e);
  switch (e.tag) {
    case "stream-not-found":
      return new CliError(
        `stream '${e.val}' not found; list streams with \`secure-log streams list\``,
        EXIT.usage,
      );
    case "entry-not-found":
      return new CliError(
        `no entry with seqno ${e.val}; see the newest with \`secure-log head\``,
        EXIT.usage,
      );
    case "segment-not-found":
      return new CliError(
        `segment ${e.val} not found; seal one with \`secure-log seal --stream S\``,
        EXIT.usage,
      );
    case "empty-segment":
      return new CliError(
        `nothing to seal: no entries in stream '${e.val}' since its last segment`,
        EXIT.usage,
      );
    case "invalid":
      // The keystore's refusals (no secret, bad secret, unknown algorithm) arrive as invalid.
      return new CliError(text, /keystore|key secret/.test(e.val) ? EXIT.store : EXIT.usage);
    case "segment-already-closed":
    case "not-implemented":
      return new CliError(text, EXIT.usage);
    case "chain-broken":
    case "inclusion-mismatch":
      return new CliError(text, EXIT.verifyFailed);
    case "storage":
    case "encoding":
      return new CliError(text, EXIT.store);
  }
}

/** Any failure of a command as a CliError (unknown failures are store errors). */
export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  const le = logErrorOf(e) ?? (isLogError(e) ? e : undefined);
  if (le !== undefined) return fromLogError(le);
  return new CliError(e instanceof Error ? e.message : String(e), EXIT.store);
}
