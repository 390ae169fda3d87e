// Brings a database to the current schema at init: applies each migration not
// yet recorded, in order, each in its own transaction with its record, then
// checks that the tables are there and the tamper triggers are intact.

import type { Database } from "./database";
import { SqliteStoreError } from "./errors";
import { CREATE_MIGRATIONS_TABLE, MIGRATIONS, MIGRATIONS_TABLE, TABLES } from "./schema";
import { recordAttempt, TAMPER_TRIGGERS } from "./triggers";
import { int, readText, readU64, text } from "./values";

const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

/** The migrations recorded in the database, by version. */
export function appliedVersions(db: Database): number[] {
  return db
    .query(`SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version`)
    .map((r) => Number(readU64(r[0], `${MIGRATIONS_TABLE}.version`)));
}

/** Applies the missing migrations; returns the versions applied now. `now` stamps each record. */
export function migrate(db: Database, now: string): number[] {
  db.execute(CREATE_MIGRATIONS_TABLE);
  const done = new Set(appliedVersions(db));
  const newest = Math.max(0, ...done);
  if (newest > LATEST) {
    throw new SqliteStoreError(
      "corrupt",
      `'${db.path}' has schema version ${newest}, newer than this store's ${LATEST}: ` +
        "open it with the secure-log release that wrote it, or a later one",
    );
  }
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    try {
      db.transaction(() => {
        db.execute(m.sql);
        db.run(`INSERT INTO ${MIGRATIONS_TABLE} (version, applied) VALUES (?1, ?2)`, [
          int(BigInt(m.version)),
          text(now),
        ]);
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new SqliteStoreError(
        "engine",
        `'${db.path}': migration ${m.version} (${m.name}) failed: ${message}`,
        { cause: e },
      );
    }
    applied.push(m.version);
  }
  return applied;
}

/**
 * Refuses a database whose tables were dropped; restores a tamper trigger
 * that is missing or differs from ours, and records that it did.
 * Returns the names of the triggers restored.
 */
export function checkSchema(db: Database): string[] {
  const objects = db.query(
    "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'trigger')",
  );
  const tables = new Set<string>();
  const triggers = new Map<string, string | undefined>();
  for (const [type, name, sql] of objects) {
    const n = readText(name, "sqlite_schema.name");
    if (readText(type, "sqlite_schema.type") === "table") tables.add(n);
    else triggers.set(n, sql?.tag === "text" ? sql.val : undefined);
  }
  const missing = TABLES.filter((t) => !tables.has(t));
  if (missing.length > 0) {
    throw new SqliteStoreError(
      "corrupt",
      `'${db.path}': table ${missing.join(", ")} is missing although its migration is recorded: ` +
        "the database was changed outside the store",
    );
  }
  const broken = TAMPER_TRIGGERS.filter((t) => triggers.get(t.name) !== t.sql);
  if (broken.length === 0) return [];
  db.transaction(() => {
    for (const t of broken) {
      const state = triggers.has(t.name) ? "altered" : "missing";
      db.execute(`DROP TRIGGER IF EXISTS ${t.name}; ${t.sql}`);
      db.run(recordAttempt("sqlite_schema", "trigger", "?1", "?2"), [
        text(t.name),
        text(`${state}; restored at init`),
      ]);
    }
  });
  return broken.map((t) => t.name);
}
