// What can go wrong in the file store beyond the index's own rules (which keep
// MemoryStore's error texts). At the component boundary only the message
// crosses, as the WIT `err` string.

export type FileStoreErrorCode =
  /** init was given no path. */
  | "config"
  /** The file cannot be read back as it was written: it was not opened. */
  | "corrupt"
  /** Reading, cutting or appending failed. */
  | "io"
  /** An earlier append failed; init must reopen the store. */
  | "unusable";

export class FileStoreError extends Error {
  constructor(
    readonly code: FileStoreErrorCode,
    message: string,
    options?: { cause?: unknown; line?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FileStoreError";
    this.line = options?.line;
  }

  /** The 1-based line at fault, for `corrupt`. */
  readonly line: number | undefined;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
