// The printed report: one aligned line per check (✓/✗, name, detail, time),
// a failure's message on the lines below it, and a closing summary line.
// Colour only when writing to a terminal.

import { allChecks, passed, type CheckResult, type VerifyReport } from "./checks";

const NAME_WIDTH = 46;
const DETAIL_WIDTH = 54;

export interface Style {
  colour: boolean;
}

export const styleFor = (stream: { isTTY?: boolean }): Style => ({
  colour: stream.isTTY === true && process.env.NO_COLOR === undefined,
});

const paint = (style: Style, code: number, text: string) =>
  style.colour ? `\u001b[${code}m${text}\u001b[0m` : text;

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

function fit(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

export function formatSection(title: string, style: Style): string {
  return paint(style, 1, title);
}

export function formatCheck(c: CheckResult, style: Style): string {
  const mark = c.ok ? paint(style, 32, "✓") : paint(style, 31, "✗");
  const time = paint(style, 2, formatMs(c.ms).padStart(9));
  if (c.ok) return `  ${mark} ${fit(c.name, NAME_WIDTH)} ${fit(c.detail, DETAIL_WIDTH)} ${time}`;
  const why = c.detail
    .split("\n")
    .map((line) => `      ${paint(style, 31, line)}`)
    .join("\n");
  return `  ${mark} ${fit(c.name, NAME_WIDTH)} ${" ".repeat(DETAIL_WIDTH)} ${time}\n${why}`;
}

export function formatSummary(r: VerifyReport, style: Style): string {
  const checks = allChecks(r);
  const failed = checks.filter((c) => !c.ok).length;
  const aborted = r.sections.filter((s) => s.aborted).map((s) => s.title);
  const verdict = passed(r) ? paint(style, 32, "PASS") : paint(style, 31, "FAIL");
  const lines = [
    `${verdict} ${r.stack}: ${checks.length} checks, ${checks.length - failed} passed, ${failed} failed in ${formatMs(r.ms)}`,
  ];
  if (aborted.length > 0) lines.push(`  stopped early: ${aborted.join("; ")}`);
  return lines.join("\n");
}

/** The whole report at once (the CLI prints it line by line as it runs instead). */
export function formatReport(r: VerifyReport, style: Style): string {
  const out: string[] = [];
  for (const s of r.sections) {
    out.push(formatSection(s.title, style));
    for (const c of s.checks) out.push(formatCheck(c, style));
  }
  out.push("", formatSummary(r, style));
  return out.join("\n");
}
