// The database schema as numbered migrations, recorded in
// `_secure_log_migrations` and each applied once, in its own transaction.
// Migrations 1-4 create the reference's tables and indexes under the
// reference's numbers (so a database it created opens and is upgraded; the
// default stream row is written by init with the store's clock instead of
// M4's datetime('now')). 5 and 6 are ours: the indexes behind every lookup
// the store makes, and the triggers that make history read-only.
// A migration, once released, never changes: a change is a new migration.

import { TAMPER_TRIGGERS, TAMPER_TABLE } from "./triggers";

export interface Migration {
  version: number;
  /** What it does, for messages. */
  name: string;
  sql: string;
}

export const MIGRATIONS_TABLE = "_secure_log_migrations";

export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version INTEGER PRIMARY KEY,
  applied TEXT NOT NULL DEFAULT (datetime('now'))
)`;

const M1_SECURE_LOG = `
CREATE TABLE secure_log (
  seqno             INTEGER PRIMARY KEY,
  stream_id         TEXT NOT NULL,
  session_id        TEXT NOT NULL,
  boot_id           TEXT NOT NULL,
  timestamp         TEXT NOT NULL,
  event_type        TEXT NOT NULL,
  severity          TEXT NOT NULL,
  producer          TEXT NOT NULL,
  payload_encoding  TEXT NOT NULL,
  payload           BLOB NOT NULL,
  prev_entry_hash   BLOB NOT NULL,
  entry_hash        BLOB NOT NULL
);
CREATE INDEX idx_secure_log_stream ON secure_log(stream_id, seqno);
CREATE INDEX idx_secure_log_type ON secure_log(event_type);`;

const M2_SEGMENTS = `
CREATE TABLE secure_log_segments (
  segment_id           INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id            TEXT NOT NULL,
  seq_start            INTEGER NOT NULL,
  seq_end              INTEGER NOT NULL,
  merkle_root          BLOB NOT NULL,
  last_entry_hash      BLOB NOT NULL,
  prev_checkpoint_hash BLOB NOT NULL,
  closed_at            TEXT NOT NULL,
  signature            BLOB,
  signer_identity      TEXT
);
CREATE INDEX idx_secure_log_segments_stream ON secure_log_segments(stream_id, segment_id);
CREATE TABLE secure_log_segment_entries (
  segment_id   INTEGER NOT NULL REFERENCES secure_log_segments(segment_id),
  seqno        INTEGER NOT NULL,
  leaf_index   INTEGER NOT NULL,
  PRIMARY KEY (segment_id, seqno)
);
CREATE INDEX idx_secure_log_segment_entries_seqno ON secure_log_segment_entries(seqno);`;

const M3_WITNESS_LOG = `
CREATE TABLE witness_log (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id            TEXT NOT NULL,
  segment_id           INTEGER NOT NULL,
  seq_start            INTEGER NOT NULL,
  seq_end              INTEGER NOT NULL,
  checkpoint_hash_hex  TEXT NOT NULL,
  signature_hex        TEXT NOT NULL,
  signer_identity      TEXT NOT NULL,
  received_at          TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX idx_witness_log_stream ON witness_log(stream_id, segment_id);`;

const M4_STREAMS = `
CREATE TABLE secure_log_streams (
  name           TEXT PRIMARY KEY,
  tier           TEXT NOT NULL DEFAULT 'public',
  description    TEXT,
  created_at     TEXT NOT NULL DEFAULT (datetime('now')),
  deprecated_at  TEXT
);`;

// A seqno belongs to one segment only (the reference's index is not unique);
// leaf order, a stream's last sealed seqno and a stream's witness rows in id
// order are read without a sort or a scan.
const M5_LOOKUP_INDEXES = `
DROP INDEX idx_secure_log_segment_entries_seqno;
CREATE UNIQUE INDEX idx_secure_log_segment_entries_seqno_unique
  ON secure_log_segment_entries(seqno);
CREATE INDEX idx_secure_log_segment_entries_leaf
  ON secure_log_segment_entries(segment_id, leaf_index, seqno);
CREATE INDEX idx_secure_log_segments_stream_end ON secure_log_segments(stream_id, seq_end);
CREATE INDEX idx_witness_log_stream_id ON witness_log(stream_id, id);`;

const M6_TAMPER_EVIDENCE = [TAMPER_TABLE, ...TAMPER_TRIGGERS.map((t) => t.sql)].join(";\n");

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "entries", sql: M1_SECURE_LOG },
  { version: 2, name: "segments and memberships", sql: M2_SEGMENTS },
  { version: 3, name: "witness log", sql: M3_WITNESS_LOG },
  { version: 4, name: "streams", sql: M4_STREAMS },
  { version: 5, name: "lookup indexes, one segment per seqno", sql: M5_LOOKUP_INDEXES },
  { version: 6, name: "read-only history, tamper attempts recorded", sql: M6_TAMPER_EVIDENCE },
];

/** Every table the store reads or writes, checked at init. */
export const TABLES: readonly string[] = [
  "secure_log",
  "secure_log_segments",
  "secure_log_segment_entries",
  "witness_log",
  "secure_log_streams",
  "tamper_attempts",
];
