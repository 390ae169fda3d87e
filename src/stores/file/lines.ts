// Splits the file into complete lines. Every record is written with its newline
// in one durable append, so bytes after the last newline can only be a write a
// crash interrupted: its caller never got an answer, and it is cut away.

export interface Line {
  /** 1-based, as an editor shows it. */
  number: number;
  bytes: Uint8Array;
}

export interface SplitFile {
  lines: Line[];
  /** Bytes up to and including the last newline. */
  completeLength: number;
  /** Bytes after the last newline (a torn final record), if any. */
  torn?: Uint8Array;
}

const NEWLINE = 0x0a;

export function splitLines(bytes: Uint8Array): SplitFile {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end < 0) break;
    lines.push({ number: lines.length + 1, bytes: bytes.subarray(start, end) });
    start = end + 1;
  }
  const split: SplitFile = { lines, completeLength: start };
  if (start < bytes.length) split.torn = bytes.subarray(start);
  return split;
}
