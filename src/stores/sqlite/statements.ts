// Every statement the store runs after init, in one table so a test can check
// each one's query plan (every lookup goes through an index). The engine caches
// prepared statements by their text, so these strings are the cache keys.

import {
  ENTRY_COLUMNS,
  ENTRY_PACKED_COLUMNS,
  ENTRY_PARAMS,
  SEGMENT_COLUMNS,
  SEGMENT_PARAMS,
  STREAM_COLUMNS,
  WITNESS_COLUMNS,
  WITNESS_PARAMS,
} from "./rows";

/** Packed (rows.ts says why); `entryUnpacked` reads one row's columns as they are. */
const ENTRY_SELECT = `SELECT ${ENTRY_PACKED_COLUMNS} FROM secure_log`;
const SEGMENT_SELECT = `SELECT segment_id, ${SEGMENT_COLUMNS} FROM secure_log_segments`;
const WITNESS_SELECT = `SELECT id, ${WITNESS_COLUMNS} FROM witness_log`;
const STREAM_SELECT = `SELECT ${STREAM_COLUMNS} FROM secure_log_streams`;

export const SQL = {
  // Compare-and-append in one statement (docs/design/compare-and-append.md):
  // the row goes in only if its seqno (?1) is the next global one and its
  // prev_entry_hash (?11) is the entry_hash of stream ?2's last entry (32 zero
  // bytes for a stream's first). Otherwise 0 rows change; a duplicate seqno
  // never reaches the trigger that records overwrite attempts.
  insertEntry:
    `INSERT INTO secure_log (${ENTRY_COLUMNS}) SELECT ${ENTRY_PARAMS} ` +
    "WHERE ?1 = coalesce((SELECT max(seqno) FROM secure_log), 0) + 1 " +
    "AND ?11 = coalesce((SELECT entry_hash FROM secure_log WHERE stream_id = ?2 " +
    "ORDER BY seqno DESC LIMIT 1), zeroblob(32))",
  globalHead: "SELECT max(seqno) FROM secure_log",
  getEntry: `${ENTRY_SELECT} WHERE seqno = ?1`,
  entryUnpacked: `SELECT ${ENTRY_COLUMNS} FROM secure_log WHERE seqno = ?1`,
  range: `${ENTRY_SELECT} WHERE stream_id = ?1 AND seqno BETWEEN ?2 AND ?3 ORDER BY seqno`,
  head: "SELECT max(seqno) FROM secure_log WHERE stream_id = ?1",
  last: `${ENTRY_SELECT} WHERE stream_id = ?1 ORDER BY seqno DESC LIMIT 1`,

  insertSegment:
    `INSERT INTO secure_log_segments (${SEGMENT_COLUMNS}) VALUES (${SEGMENT_PARAMS}) ` +
    "RETURNING segment_id",
  /** ?1: a JSON array of seqnos. */
  memberOwners:
    "SELECT m.seqno, m.segment_id FROM json_each(?1) AS j " +
    "JOIN secure_log_segment_entries AS m ON m.seqno = j.value",
  insertMember:
    "INSERT INTO secure_log_segment_entries (segment_id, seqno, leaf_index) VALUES (?1, ?2, ?3)",
  getSegment: `${SEGMENT_SELECT} WHERE segment_id = ?1`,
  listSegments: `${SEGMENT_SELECT} WHERE stream_id = ?1 ORDER BY segment_id`,
  lastSealed: "SELECT max(seq_end) FROM secure_log_segments WHERE stream_id = ?1",
  memberSeqnos:
    "SELECT seqno FROM secure_log_segment_entries WHERE segment_id = ?1 ORDER BY leaf_index, seqno",
  segmentForSeqno: "SELECT segment_id FROM secure_log_segment_entries WHERE seqno = ?1",
  // Matches only an unsigned segment: the trigger's one allowed update.
  setSignature:
    "UPDATE secure_log_segments SET signature = ?2, signer_identity = ?3 " +
    "WHERE segment_id = ?1 AND signature IS NULL AND signer_identity IS NULL",

  insertWitness: `INSERT INTO witness_log (${WITNESS_COLUMNS}) VALUES (${WITNESS_PARAMS}) RETURNING id`,
  latestWitness: `${WITNESS_SELECT} WHERE stream_id = ?1 ORDER BY id DESC LIMIT 1`,
  listWitness: `${WITNESS_SELECT} WHERE stream_id = ?1 ORDER BY id`,
  witnessStreams: "SELECT DISTINCT stream_id FROM witness_log ORDER BY stream_id",
  // The reference's rule in one statement: in stream ?1 keep the newest ?2
  // rows and delete the rest that are older than ?3 (any age when ?3 is NULL);
  // with neither a positive ?2 nor ?3, delete nothing.
  gcWitness:
    "DELETE FROM witness_log WHERE stream_id = ?1 " +
    "AND (coalesce(?2, 0) > 0 OR ?3 IS NOT NULL) " +
    "AND (?3 IS NULL OR received_at < ?3) " +
    "AND id NOT IN (SELECT k.id FROM witness_log AS k WHERE k.stream_id = ?1 " +
    "ORDER BY k.id DESC LIMIT coalesce(?2, 0))",
  /** The same over every stream, each keeping its own newest ?1. */
  gcWitnessAll:
    "DELETE FROM witness_log WHERE (coalesce(?1, 0) > 0 OR ?2 IS NOT NULL) " +
    "AND (?2 IS NULL OR received_at < ?2) " +
    "AND id NOT IN (SELECT k.id FROM witness_log AS k WHERE k.stream_id = witness_log.stream_id " +
    "ORDER BY k.id DESC LIMIT coalesce(?1, 0))",

  upsertStream:
    `INSERT INTO secure_log_streams (${STREAM_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5) ` +
    "ON CONFLICT (name) DO UPDATE SET tier = excluded.tier, " +
    "description = excluded.description, deprecated_at = excluded.deprecated_at",
  getStream: `${STREAM_SELECT} WHERE name = ?1`,
  listStreams: `${STREAM_SELECT} ORDER BY name`,
  setTier: "UPDATE secure_log_streams SET tier = ?2 WHERE name = ?1",
  deprecate: "UPDATE secure_log_streams SET deprecated_at = ?2 WHERE name = ?1",
  /** ?1: created-at. */
  defaultStream:
    `INSERT INTO secure_log_streams (${STREAM_COLUMNS}) VALUES ('default', 'public', ` +
    "'Default stream created automatically at init.', ?1, NULL) ON CONFLICT (name) DO NOTHING",

  tamperAttempts:
    "SELECT id, attempted_at, table_name, operation, row_key, detail FROM tamper_attempts " +
    "ORDER BY id",
} as const;
