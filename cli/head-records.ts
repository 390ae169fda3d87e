// The anti-rollback head file the core keeps beside its store (FORMAT §7.1),
// read on the host: the component writes it under /data, the data directory.

import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { headFilePath, parseHeadFile, type HeadRecord } from "../src/core/head-file";
import { CliError, EXIT, toCliError } from "./output";

export async function readHeadRecords(dataDir: string, storeConfig: string): Promise<HeadRecord[]> {
  const path = join(dataDir, basename(headFilePath(storeConfig)));
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw new CliError(`cannot read the head file ${path}: ${e.code ?? e.message}`, EXIT.store);
  });
  try {
    return parseHeadFile(text).records;
  } catch (e) {
    throw new CliError(`${path}: ${toCliError(e).message}`, EXIT.store);
  }
}
