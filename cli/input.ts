// A command's input: a file, or standard input for `-`. A file that cannot be
// read is a usage error naming it.

import { readFile } from "node:fs/promises";
import { usageError } from "./output";

/** The bytes of `file` (`-`: stdin); `what` names it in the error, e.g. "--file report.txt". */
export async function readInput(file: string, what = file): Promise<Uint8Array> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }
  return readFile(file).then(
    (b) => new Uint8Array(b),
    (e: NodeJS.ErrnoException) => {
      throw usageError(`cannot read ${what}: ${e.code ?? e.message}`);
    },
  );
}

/** `readInput` as UTF-8 text. */
export async function readInputText(file: string, what = file): Promise<string> {
  return new TextDecoder().decode(await readInput(file, what));
}
