// One open engine connection with the store's two needs on top: engine errors
// as SqliteStoreError naming the statement, and transactions. A write of more
// than one statement runs between BEGIN IMMEDIATE and COMMIT, so a crash or a
// failed statement never leaves half of it; one statement is atomic by itself
// (execute-many adds a savepoint).

import { engineMessage, type Connection, type Engine, type SqlValue } from "./engine";
import { SqliteStoreError } from "./errors";

/** The statement's first words, for messages: "INSERT INTO secure_log". */
function label(sql: string): string {
  const words = sql.trim().split(/\s+/).slice(0, 3).join(" ");
  return words.length > 60 ? `${words.slice(0, 57)}...` : words;
}

export class Database {
  private inTransaction = false;

  constructor(
    private readonly engine: Engine,
    readonly handle: Connection,
    /** The config the connection was opened with. */
    readonly path: string,
  ) {}

  static open(engine: Engine, path: string): Database {
    let handle: Connection;
    try {
      handle = engine.open(path);
    } catch (e) {
      throw new SqliteStoreError("engine", `cannot open '${path}': ${engineMessage(e)}`, {
        cause: e,
      });
    }
    return new Database(engine, handle, path);
  }

  private call<T>(sql: string, run: () => T): T {
    try {
      return run();
    } catch (e) {
      throw new SqliteStoreError("engine", `${label(sql)}: ${engineMessage(e)}`, { cause: e });
    }
  }

  /** Runs a script (every statement, rows discarded). */
  execute(sql: string): void {
    this.call(sql, () => this.engine.execute(this.handle, sql));
  }

  /** One statement once per row, all or none; the number of rows changed. */
  executeMany(sql: string, rows: SqlValue[][]): bigint {
    return this.call(sql, () => this.engine.executeMany(this.handle, sql, rows));
  }

  /** One statement, once, with its changed-row count. */
  run(sql: string, params: SqlValue[]): bigint {
    return this.executeMany(sql, [params]);
  }

  query(sql: string, params: SqlValue[] = []): SqlValue[][] {
    return this.call(sql, () => this.engine.query(this.handle, sql, params)).rows;
  }

  /** The first column of the first row, or undefined when there is no row. */
  scalar(sql: string, params: SqlValue[] = []): SqlValue | undefined {
    return this.query(sql, params)[0]?.[0];
  }

  /**
   * `work` inside BEGIN IMMEDIATE … COMMIT; any throw (from `work` or COMMIT)
   * rolls back and is rethrown. Not reentrant: a store write is one transaction.
   */
  transaction<T>(work: () => T): T {
    if (this.inTransaction) throw new SqliteStoreError("engine", "a transaction is already open");
    this.execute("BEGIN IMMEDIATE");
    this.inTransaction = true;
    try {
      const result = work();
      this.execute("COMMIT");
      return result;
    } catch (e) {
      // Fails only when SQLite already rolled back (a failed COMMIT may).
      try {
        this.engine.execute(this.handle, "ROLLBACK");
      } catch {
        // nothing left to undo
      }
      throw e;
    } finally {
      this.inTransaction = false;
    }
  }

  close(): void {
    this.call("close", () => this.engine.close(this.handle));
  }
}
