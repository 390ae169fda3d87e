// The few file operations the stores and the core need, synchronous because
// wasi:filesystem 0.2 calls are. Two implementations: WasiFileSystem (inside a
// component, over preopened directories) and NodeFileSystem (tests, host tools).
// Paths are as the caller's world sees them: inside a component, guest paths
// under a preopen; in Node, host paths.

export interface FileSystem {
  /** The whole file, or undefined when it does not exist. */
  readFile(path: string): Uint8Array | undefined;

  /**
   * Appends all of `bytes` at the end of the file (created if missing) and
   * syncs its data before returning, so a returned call has reached the disk.
   */
  appendDurable(path: string, bytes: Uint8Array): void;

  /** Cuts (or extends with zeros) the file to `size` bytes and syncs it. */
  truncate(path: string, size: number): void;

  /**
   * Replaces the file in one step: writes `path + ".tmp"`, syncs it, renames it
   * over `path`. A crash leaves either the old or the new contents.
   */
  writeFileAtomic(path: string, bytes: Uint8Array): void;
}

/** An I/O failure, with the operation and path in the message and the cause kept. */
export class FileSystemError extends Error {
  constructor(
    readonly op: string,
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${op} ${path}: ${reason}`, options);
    this.name = "FileSystemError";
  }
}
