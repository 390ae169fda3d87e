// The head file on a Node filesystem, saved as the reference does (write
// <head>.tmp, fsync, rename) plus an fsync of the directory so the rename
// itself survives a crash.

import { open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { errors } from "../core/errors";
import { headFilePath, headTempPath, type HeadStorage } from "../core/head-file";

// Fatal so a corrupt file is refused rather than patched with U+FFFD; BOM kept
// so the parser rejects it, as serde_json does.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function code(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String(e.code) : undefined;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class FsHeadStorage implements HeadStorage {
  constructor(readonly path: string) {}

  static forStore(storePath: string): FsHeadStorage {
    return new FsHeadStorage(headFilePath(storePath));
  }

  async load(): Promise<string | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.path);
    } catch (e) {
      if (code(e) === "ENOENT") return undefined;
      throw errors.storage(`read head file ${this.path}: ${message(e)}`, e);
    }
    try {
      return utf8.decode(bytes);
    } catch (e) {
      throw errors.storage(`head file ${this.path} is not valid UTF-8`, e);
    }
  }

  async save(text: string): Promise<void> {
    const tmp = headTempPath(this.path);
    try {
      const fh = await open(tmp, "w");
      try {
        await fh.writeFile(text, "utf8");
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw errors.storage(`write head file ${this.path}: ${message(e)}`, e);
    }
    await syncDir(dirname(this.path));
  }
}

// Best effort: some filesystems and platforms refuse to open or fsync a directory.
async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, "r");
    await fh.sync();
  } catch {
    // The rename has happened; only its durability is less certain.
  } finally {
    await fh?.close();
  }
}
