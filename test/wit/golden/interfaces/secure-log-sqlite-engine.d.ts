/** @module Interface secure-log:sqlite/engine@0.1.0 **/
/**
 * Opens (creating it if missing) the database at `path`, a path under one
 * of the component's preopened directories, a `file:` URI, or ":memory:"
 * for a private database that is never written. A file is held
 * exclusively, in WAL mode with synchronous=FULL: a write has been synced
 * to the file before it returns, so it survives a crash, and power loss as
 * far as the host's sync reaches the disk. No other process may open the
 * file while a connection has it open. Statements that would change
 * journal_mode, locking_mode or synchronous fail with SQLITE_AUTH.
 */
export function open(path: string): Connection;
/**
 * Runs a script: every statement in `sql`, in order, stopping at the first
 * error. Rows a statement returns are discarded.
 */
export function execute(db: Connection, sql: string): void;
/**
 * Runs one statement once per parameter row, all in one transaction (a
 * savepoint, so it nests in a transaction the caller began): either every
 * row is applied or none is. Each row binds the statement's parameters in
 * order (?1, ?2, ... or named ones by position) and must have exactly as
 * many values as the statement has parameters. Returns the number of rows
 * changed.
 */
export function executeMany(db: Connection, sql: string, params: Array<Array<Value>>): bigint;
/**
 * Runs one statement with `params` bound in order and returns every row.
 */
export function query(db: Connection, sql: string, params: Array<Value>): Rows;
/**
 * Checkpoints the WAL into the database file and closes it. The handle is
 * invalid afterwards, also when this returns an error: a failed checkpoint
 * loses nothing, as the next `open` recovers the WAL.
 */
export function close(db: Connection): void;
/**
 * One SQLite value. Integers are 64-bit, reals IEEE doubles (SQLite
 * stores a NaN as null); text is UTF-8, and stored text that is not valid
 * UTF-8 is an error when read (select it as a blob instead).
 */
export type Value = ValueNull | ValueInteger | ValueReal | ValueText | ValueBlob;
export interface ValueNull {
  tag: 'null',
}
export interface ValueInteger {
  tag: 'integer',
  val: bigint,
}
export interface ValueReal {
  tag: 'real',
  val: number,
}
export interface ValueText {
  tag: 'text',
  val: string,
}
export interface ValueBlob {
  tag: 'blob',
  val: Uint8Array,
}
/**
 * The result of a query: the column names, then every row, each with one
 * value per column.
 */
export interface Rows {
  columns: Array<string>,
  rows: Array<Array<Value>>,
}
/**
 * An open database, as returned by `open`. A handle is never reused, so a
 * closed one stays invalid (every call with it returns an error).
 */
export type Connection = number;
