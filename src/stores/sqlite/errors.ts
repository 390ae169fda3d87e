// What the SQLite store reports. The texts of MemoryStore's rules are kept
// ("conflict: seqno 5 is not the next seqno (4)", "segment not found: 7"); at
// the component boundary only the message crosses, as the WIT `err` string.

export type SqliteStoreErrorCode =
  /** init was given no path, or a call came before init. */
  | "config"
  /** A row or argument the store cannot hold (missing seqno, u64 above 2^63-1). */
  | "invalid"
  /** A rule refused the write (compare-and-append, seqno in another segment, signed twice). */
  | "conflict"
  /** The segment or stream named does not exist. */
  | "not-found"
  /** The database holds something this store never writes, or its schema was changed. */
  | "corrupt"
  /** The engine failed (I/O, full disk, SQL error). */
  | "engine";

export class SqliteStoreError extends Error {
  constructor(
    readonly code: SqliteStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SqliteStoreError";
  }
}
