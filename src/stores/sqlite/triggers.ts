// History is read-only, also for someone with the sqlite3 shell: triggers
// refuse every UPDATE and DELETE of an entry, a segment or a membership, and
// every INSERT that would replace one (INSERT OR REPLACE, upserts), and record
// the attempt in `tamper_attempts`. The one update allowed is setting an
// unsigned segment's signature and signer identity, once, changing nothing
// else.
//
// RAISE(ABORT) would roll the record back with the statement, so each trigger
// records and then RAISE(IGNORE)s: SQLite skips that row's change but keeps
// what the trigger wrote (verified in test/stores/sqlite-store-tamper.test.ts
// with the engine and with the sqlite3 shell). The statement itself succeeds
// with zero rows changed. Limits (docs/design/store-sqlite.md): a user can
// drop a trigger first (init restores missing or altered triggers and records
// that), roll back their own transaction (the record goes with it, and so
// does the change), or edit the file's bytes; the hash chain and the signed
// checkpoints are what detect those.

export interface TriggerDef {
  name: string;
  /** The CREATE TRIGGER statement, exactly as SQLite keeps it in sqlite_schema. */
  sql: string;
}

export const TAMPER_TABLE = `CREATE TABLE tamper_attempts (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  attempted_at  TEXT NOT NULL,
  table_name    TEXT NOT NULL,
  operation     TEXT NOT NULL,
  row_key       TEXT NOT NULL,
  detail        TEXT NOT NULL DEFAULT ''
)`;

type Row = "OLD" | "NEW";

interface Guarded {
  table: string;
  columns: readonly string[];
  /** The row's key as text, for the record. */
  key(row: Row): string;
  /** True when an INSERT would replace an existing row. */
  existing: string;
  /** An UPDATE for which this holds goes through, unrecorded. */
  allowedUpdate?: string;
}

const ENTRY_COLUMNS = [
  "seqno",
  "stream_id",
  "session_id",
  "boot_id",
  "timestamp",
  "event_type",
  "severity",
  "producer",
  "payload_encoding",
  "payload",
  "prev_entry_hash",
  "entry_hash",
] as const;

const SEGMENT_COLUMNS = [
  "segment_id",
  "stream_id",
  "seq_start",
  "seq_end",
  "merkle_root",
  "last_entry_hash",
  "prev_checkpoint_hash",
  "closed_at",
  "signature",
  "signer_identity",
] as const;

const SIGNING = new Set<string>(["signature", "signer_identity"]);
const unchanged = (columns: readonly string[]) =>
  columns.map((c) => `NEW.${c} IS OLD.${c}`).join(" AND ");

const GUARDED: readonly Guarded[] = [
  {
    table: "secure_log",
    columns: ENTRY_COLUMNS,
    key: (r) => `CAST(${r}.seqno AS TEXT)`,
    existing: "EXISTS (SELECT 1 FROM secure_log WHERE seqno = NEW.seqno)",
  },
  {
    table: "secure_log_segments",
    columns: SEGMENT_COLUMNS,
    key: (r) => `CAST(${r}.segment_id AS TEXT)`,
    existing: "EXISTS (SELECT 1 FROM secure_log_segments WHERE segment_id = NEW.segment_id)",
    allowedUpdate:
      "OLD.signature IS NULL AND OLD.signer_identity IS NULL" +
      " AND typeof(NEW.signature) = 'blob' AND typeof(NEW.signer_identity) = 'text'" +
      ` AND ${unchanged(SEGMENT_COLUMNS.filter((c) => !SIGNING.has(c)))}`,
  },
  {
    table: "secure_log_segment_entries",
    columns: ["segment_id", "seqno", "leaf_index"],
    key: (r) => `${r}.segment_id || ':' || ${r}.seqno`,
    // (segment_id, seqno) is the key and seqno is unique: a clash is on seqno.
    existing: "EXISTS (SELECT 1 FROM secure_log_segment_entries WHERE seqno = NEW.seqno)",
  },
  {
    table: "tamper_attempts",
    columns: ["id", "attempted_at", "table_name", "operation", "row_key", "detail"],
    key: (r) => `CAST(${r}.id AS TEXT)`,
    existing: "EXISTS (SELECT 1 FROM tamper_attempts WHERE id = NEW.id)",
  },
];

/** An INSERT into tamper_attempts; strftime('now') is the engine's clock (UTC). */
export function recordAttempt(table: string, operation: string, key: string, detail: string) {
  return (
    "INSERT INTO tamper_attempts (attempted_at, table_name, operation, row_key, detail) " +
    `VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '${table}', '${operation}', ${key}, ${detail})`
  );
}

/** "changed: payload, entry_hash" — the columns the refused UPDATE would have changed. */
function changedColumns(columns: readonly string[]): string {
  const each = columns.map((c) => `CASE WHEN NEW.${c} IS NOT OLD.${c} THEN '${c}, ' ELSE '' END`);
  return `'changed: ' || coalesce(nullif(rtrim(${each.join(" || ")}, ', '), ''), 'nothing')`;
}

function trigger(name: string, head: string, record: string): TriggerDef {
  return {
    name,
    sql: `CREATE TRIGGER ${name} ${head}\nBEGIN\n  ${record};\n  SELECT RAISE(IGNORE);\nEND`,
  };
}

function triggersFor(g: Guarded): TriggerDef[] {
  const update = g.allowedUpdate === undefined ? "" : ` WHEN NOT (${g.allowedUpdate})`;
  return [
    trigger(
      `${g.table}_refuse_update`,
      `BEFORE UPDATE ON ${g.table} FOR EACH ROW${update}`,
      recordAttempt(g.table, "update", g.key("OLD"), changedColumns(g.columns)),
    ),
    trigger(
      `${g.table}_refuse_delete`,
      `BEFORE DELETE ON ${g.table} FOR EACH ROW`,
      recordAttempt(g.table, "delete", g.key("OLD"), "''"),
    ),
    trigger(
      `${g.table}_refuse_replace`,
      `BEFORE INSERT ON ${g.table} FOR EACH ROW WHEN ${g.existing}`,
      recordAttempt(g.table, "replace", g.key("NEW"), "''"),
    ),
  ];
}

export const TAMPER_TRIGGERS: readonly TriggerDef[] = GUARDED.flatMap(triggersFor);
