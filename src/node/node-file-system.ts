// FileSystem over node:fs, with the same durability as the WASI one: data is
// fsync'd before a call returns, and an atomic write renames a synced temp file
// (then syncs the directory, best effort, so the rename survives a power cut).

import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { FileSystemError, type FileSystem } from "../wasi/file-system";

function code(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String(e.code) : undefined;
}

function fail(op: string, path: string, e: unknown): FileSystemError {
  return new FileSystemError(op, path, e instanceof Error ? e.message : String(e), { cause: e });
}

function withFd<T>(path: string, flags: string, work: (fd: number) => T): T {
  const fd = openSync(path, flags);
  try {
    return work(fd);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

function syncDir(dir: string): void {
  try {
    withFd(dir, "r", fsyncSync);
  } catch {
    // Some platforms cannot open or fsync a directory; the rename has happened.
  }
}

export class NodeFileSystem implements FileSystem {
  readFile(path: string): Uint8Array | undefined {
    try {
      return new Uint8Array(readFileSync(path));
    } catch (e) {
      if (code(e) === "ENOENT") return undefined;
      throw fail("read", path, e);
    }
  }

  appendDurable(path: string, bytes: Uint8Array): void {
    try {
      withFd(path, "a", (fd) => {
        writeAll(fd, bytes);
        fdatasyncSync(fd);
      });
    } catch (e) {
      throw fail("append to", path, e);
    }
  }

  truncate(path: string, size: number): void {
    try {
      withFd(path, "r+", (fd) => {
        ftruncateSync(fd, size);
        fsyncSync(fd);
      });
    } catch (e) {
      throw fail("truncate", path, e);
    }
  }

  writeFileAtomic(path: string, bytes: Uint8Array): void {
    const tmp = `${path}.tmp`;
    try {
      withFd(tmp, "w", (fd) => {
        writeAll(fd, bytes);
        fsyncSync(fd);
      });
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw fail("write", path, e);
    }
    syncDir(dirname(path));
  }

  exists(path: string): boolean {
    try {
      statSync(path);
      return true;
    } catch (e) {
      if (code(e) === "ENOENT") return false;
      throw fail("stat", path, e);
    }
  }
}
