// FileSystem over wasi:filesystem preopens. The preopen list is fetched on first
// use, never at construction: componentize-js runs module top-level code at build
// time, when no import may be called.

import type { Descriptor } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import { FileSystemError, type FileSystem } from "./file-system";
import {
  appendDurableAt,
  describeWasiError,
  existsAt,
  readFileAt,
  truncateAt,
  writeFileAtomicAt,
} from "./fs";
import { resolvePath } from "./paths";

export type Preopens = () => readonly (readonly [Descriptor, string])[];

export class WasiFileSystem implements FileSystem {
  private preopens?: readonly (readonly [Descriptor, string])[];

  /** `getDirectories` is wasi:filesystem/preopens' function (or a stand-in in tests). */
  constructor(private readonly getDirectories: Preopens) {}

  private run<T>(op: string, path: string, work: (dir: Descriptor, relative: string) => T): T {
    this.preopens ??= this.getDirectories();
    const { dir, relative } = resolvePath(this.preopens, path, op);
    try {
      return work(dir, relative);
    } catch (e) {
      throw new FileSystemError(op, path, describeWasiError(e), { cause: e });
    }
  }

  readFile(path: string): Uint8Array | undefined {
    return this.run("read", path, readFileAt);
  }

  appendDurable(path: string, bytes: Uint8Array): void {
    this.run("append to", path, (dir, rel) => appendDurableAt(dir, rel, bytes));
  }

  truncate(path: string, size: number): void {
    this.run("truncate", path, (dir, rel) => truncateAt(dir, rel, size));
  }

  writeFileAtomic(path: string, bytes: Uint8Array): void {
    this.run("write", path, (dir, rel) => writeFileAtomicAt(dir, rel, bytes));
  }

  exists(path: string): boolean {
    return this.run("stat", path, existsAt);
  }
}
