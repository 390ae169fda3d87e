// The benchmark table: one row per metric, the two stacks side by side, and
// how many times slower (or bigger) the composed stack is.

export interface Row {
  metric: string;
  stack: number;
  node: number;
  /** Rates are better high; times and memory are better low. */
  higherIsBetter: boolean;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString("en-US");
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** "41× slower", "1.2× faster", "3.0× more", or "—" when a side is ~0. */
export function ratio(r: Row): string {
  if (r.stack <= 0 || r.node <= 0) return "—";
  const factor = r.higherIsBetter ? r.node / r.stack : r.stack / r.node;
  const worse = factor >= 1;
  const f = worse ? factor : 1 / factor;
  const text = f >= 10 ? f.toFixed(0) : f.toFixed(1);
  const memory = r.metric.startsWith("RSS");
  const word = memory ? (worse ? "more" : "less") : worse ? "slower" : "faster";
  return `${text}× ${word}`;
}

export function formatTable(stackName: string, nodeName: string, rows: readonly Row[]): string {
  const header = ["metric", stackName, nodeName, "stack vs node"];
  const body = rows.map((r) => [r.metric, formatNumber(r.stack), formatNumber(r.node), ratio(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
