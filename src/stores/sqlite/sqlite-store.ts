// The store in a SQLite database, over the sqlite-engine component's interface:
// in the store-sqlite component the engine is its import, in Node tests the
// same engine transpiled by jco. MemoryStore's rules and error texts hold
// (test/stores/store-contract.ts runs against both), with two differences:
// a u64 above 2^63-1 cannot be stored (values.ts), and a segment's signature
// is set once (the triggers refuse a second one; the core never re-signs).
// Calls are synchronous; every write is one statement or one transaction, so
// an entry's compare-and-append check is part of its INSERT (statements.ts).

import { rfc3339, systemClock, type Clock } from "../../core/clock";
import type {
  SecureLogRow,
  SecureLogSegmentRow,
  SecureLogStreamRow,
  SegmentEntry,
  Store,
  WitnessLogRow,
} from "../../core/store";
import { appendConflict, CONFLICT_PREFIX } from "../append-rule";
import { Database } from "./database";
import type { Engine, SqlValue } from "./engine";
import { SqliteStoreError } from "./errors";
import { checkSchema, migrate } from "./migrate";
import {
  entryFrom,
  entryFromPacked,
  entryValues,
  segmentFrom,
  segmentValues,
  streamFrom,
  streamValues,
  witnessFrom,
  witnessValues,
} from "./rows";
import { SQL } from "./statements";
import {
  I64_MAX,
  int,
  key,
  NULL,
  optText,
  readOptU64,
  readText,
  readU64,
  text,
  u64,
  upTo,
  blob,
} from "./values";

export interface SqliteStoreOptions {
  /** Stamps the default stream's created-at and each migration's record. */
  clock?: Clock;
}

/** One row of `tamper_attempts`: a refused change to history, or a restored trigger. */
export interface TamperAttempt {
  id: bigint;
  /** SQLite's clock, UTC: 2026-01-02T03:04:05.678Z */
  attemptedAt: string;
  table: string;
  /** update, delete, replace (an insert over an existing row) or trigger (restored at init). */
  operation: string;
  /** seqno, segment id, "segment:seqno", or the trigger's name. */
  rowKey: string;
  detail: string;
}

export class SqliteStore implements Store {
  private db: Database | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly engine: Engine,
    options: SqliteStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  private open(): Database {
    if (this.db === undefined) {
      throw new SqliteStoreError("config", "store not initialised: call init first");
    }
    return this.db;
  }

  /**
   * Opens (creating it if missing) the database at `config`, a path under a
   * preopened directory (`:memory:` for tests), and brings its schema up to
   * date. Again with the same path: checks the schema, keeps the connection.
   */
  init(config: string): void {
    if (config === "") throw new SqliteStoreError("config", "store config must not be empty");
    if (this.db?.path !== config) {
      // Closed first: two connections to one file would corrupt it (no locks in WASI).
      this.close();
      const db = Database.open(this.engine, config);
      try {
        this.prepare(db);
      } catch (e) {
        closeQuietly(db);
        throw e;
      }
      this.db = db;
    } else {
      this.prepare(this.db);
    }
  }

  private prepare(db: Database): void {
    const now = rfc3339(this.clock());
    migrate(db, now);
    checkSchema(db);
    db.run(SQL.defaultStream, [text(now)]);
  }

  /** Checkpoints and closes the database; the store needs init again. */
  close(): void {
    const db = this.db;
    this.db = undefined;
    db?.close();
  }

  /** Every refused change to history recorded in the database, oldest first. */
  tamperAttempts(): TamperAttempt[] {
    return this.open()
      .query(SQL.tamperAttempts)
      .map((c) => ({
        id: readU64(c[0], "tamper_attempts.id"),
        attemptedAt: readText(c[1], "tamper_attempts.attempted_at"),
        table: readText(c[2], "tamper_attempts.table_name"),
        operation: readText(c[3], "tamper_attempts.operation"),
        rowKey: readText(c[4], "tamper_attempts.row_key"),
        detail: readText(c[5], "tamper_attempts.detail"),
      }));
  }

  secureLogInsert(row: SecureLogRow): bigint {
    const db = this.open();
    const seqno = row.seqno;
    if (seqno === undefined) {
      throw new SqliteStoreError("invalid", "secure-log-insert requires row.seqno");
    }
    const values = entryValues(seqno, row);
    if (db.run(SQL.insertEntry, values) === 0n) {
      // The statement's guard refused it: say which half failed.
      const head = this.secureLogGlobalHead();
      const last = this.secureLogLast(row.streamId);
      throw new SqliteStoreError(
        "conflict",
        appendConflict(
          row,
          seqno,
          head,
          last && { seqno: last.seqno!, entryHash: last.entryHash },
        ) ?? `${CONFLICT_PREFIX}seqno ${seqno} was not appended: another writer appended first`,
      );
    }
    return seqno;
  }

  secureLogGlobalHead(): bigint | undefined {
    return readOptU64(this.open().scalar(SQL.globalHead), "max(secure_log.seqno)");
  }

  secureLogGet(seqno: bigint): SecureLogRow | undefined {
    const db = this.open();
    const k = key(seqno);
    return k && this.entries(db, SQL.getEntry, [k])[0];
  }

  secureLogRange(streamId: string, fromSeqno: bigint, toSeqno: bigint): SecureLogRow[] {
    const db = this.open();
    if (fromSeqno > I64_MAX) return [];
    return this.entries(db, SQL.range, [text(streamId), int(fromSeqno), upTo(toSeqno)]);
  }

  secureLogHead(streamId: string): bigint | undefined {
    const v = this.open().scalar(SQL.head, [text(streamId)]);
    return readOptU64(v, "max(secure_log.seqno)");
  }

  secureLogLast(streamId: string): SecureLogRow | undefined {
    return this.entries(this.open(), SQL.last, [text(streamId)])[0];
  }

  /** The rows of a packed entry statement (rows.ts); a row that does not pack is read unpacked. */
  private entries(db: Database, sql: string, params: SqlValue[]): SecureLogRow[] {
    const rows = db.query(sql, params);
    const out: SecureLogRow[] = [];
    for (const c of rows) {
      out.push(entryFromPacked(c) ?? this.unpacked(db, c[0] ?? NULL));
    }
    return out;
  }

  /** One entry read column by column, so a wrong type fails naming its column. */
  private unpacked(db: Database, seqno: SqlValue): SecureLogRow {
    const row = db.query(SQL.entryUnpacked, [seqno])[0];
    if (row === undefined) {
      throw new SqliteStoreError("corrupt", "secure_log: a row vanished while it was read");
    }
    return entryFrom(row);
  }

  secureLogSegmentInsert(row: SecureLogSegmentRow, entries: SegmentEntry[]): bigint {
    const db = this.open();
    const values = segmentValues(row);
    const members = entries.map(([seqno, leaf]) => [
      u64("segment entry seqno", seqno),
      u64("segment entry leaf index", leaf),
    ]);
    return db.transaction(() => {
      this.checkMembers(db, entries);
      const id = readU64(db.scalar(SQL.insertSegment, values), "inserted segment_id");
      if (members.length > 0) {
        db.executeMany(
          SQL.insertMember,
          members.map((m) => [int(id), ...m]),
        );
      }
      return id;
    });
  }

  /** MemoryStore's rule and message: the first seqno, in order, already owned or repeated. */
  private checkMembers(db: Database, entries: SegmentEntry[]): void {
    if (entries.length === 0) return;
    const json = `[${entries.map(([s]) => s.toString()).join(",")}]`;
    const owners = new Map<bigint, bigint>();
    for (const [seqno, segmentId] of db.query(SQL.memberOwners, [text(json)])) {
      owners.set(
        readU64(seqno, "secure_log_segment_entries.seqno"),
        readU64(segmentId, "secure_log_segment_entries.segment_id"),
      );
    }
    const seen = new Set<bigint>();
    for (const [seqno] of entries) {
      const owner = owners.get(seqno);
      if (owner !== undefined || seen.has(seqno)) {
        throw new SqliteStoreError(
          "conflict",
          `seqno ${seqno} already belongs to segment ${owner ?? "being inserted"}`,
        );
      }
      seen.add(seqno);
    }
  }

  secureLogSegmentGet(segmentId: bigint): SecureLogSegmentRow | undefined {
    const db = this.open();
    const k = key(segmentId);
    const row = k && db.query(SQL.getSegment, [k])[0];
    return row && segmentFrom(row);
  }

  secureLogSegmentsList(streamId: string): SecureLogSegmentRow[] {
    return this.open()
      .query(SQL.listSegments, [text(streamId)])
      .map(segmentFrom);
  }

  secureLogSegmentLastSeqno(streamId: string): bigint | undefined {
    const v = this.open().scalar(SQL.lastSealed, [text(streamId)]);
    return readOptU64(v, "max(secure_log_segments.seq_end)");
  }

  secureLogSegmentEntrySeqnos(segmentId: bigint): bigint[] {
    const db = this.open();
    const k = key(segmentId);
    if (k === undefined) return [];
    return db
      .query(SQL.memberSeqnos, [k])
      .map((c) => readU64(c[0], "secure_log_segment_entries.seqno"));
  }

  secureLogSegmentForSeqno(seqno: bigint): bigint | undefined {
    const db = this.open();
    const k = key(seqno);
    const v = k && db.scalar(SQL.segmentForSeqno, [k]);
    return v && readU64(v, "secure_log_segment_entries.segment_id");
  }

  secureLogSegmentSetSignature(
    segmentId: bigint,
    signature: Uint8Array,
    signerIdentity: string,
  ): void {
    const db = this.open();
    const k = key(segmentId);
    const values = k && [k, blob(signature), text(signerIdentity)];
    if (values !== undefined && db.run(SQL.setSignature, values) !== 0n) return;
    const segment = this.secureLogSegmentGet(segmentId);
    if (segment === undefined) {
      throw new SqliteStoreError("not-found", `segment not found: ${segmentId}`);
    }
    throw new SqliteStoreError(
      "conflict",
      `segment ${segmentId} is already signed by '${segment.signerIdentity ?? "?"}': ` +
        "a segment's signature is set once",
    );
  }

  witnessLogInsert(row: WitnessLogRow): bigint {
    const db = this.open();
    return readU64(db.scalar(SQL.insertWitness, witnessValues(row)), "inserted witness_log.id");
  }

  witnessLogLatest(streamId: string): WitnessLogRow | undefined {
    const row = this.open().query(SQL.latestWitness, [text(streamId)])[0];
    return row && witnessFrom(row);
  }

  witnessLogList(streamId: string): WitnessLogRow[] {
    return this.open()
      .query(SQL.listWitness, [text(streamId)])
      .map(witnessFrom);
  }

  witnessLogStreamIds(): string[] {
    return this.open()
      .query(SQL.witnessStreams)
      .map((c) => readText(c[0], "witness_log.stream_id"));
  }

  witnessLogGc(
    streamId: string | undefined,
    keepLatest: number | undefined,
    olderThanRfc3339: string | undefined,
  ): number {
    const db = this.open();
    const keep = keepLatest === undefined ? NULL : int(BigInt(keepLatest));
    const older = optText(olderThanRfc3339);
    const deleted =
      streamId === undefined
        ? db.run(SQL.gcWitnessAll, [keep, older])
        : db.run(SQL.gcWitness, [text(streamId), keep, older]);
    return Number(deleted);
  }

  secureLogStreamUpsert(row: SecureLogStreamRow): void {
    this.open().run(SQL.upsertStream, streamValues(row));
  }

  secureLogStreamGet(name: string): SecureLogStreamRow | undefined {
    const row = this.open().query(SQL.getStream, [text(name)])[0];
    return row && streamFrom(row);
  }

  /** Ordered by name, as the reference (`ORDER BY name`). */
  secureLogStreamList(): SecureLogStreamRow[] {
    return this.open().query(SQL.listStreams).map(streamFrom);
  }

  secureLogStreamSetTier(name: string, tier: string): void {
    if (this.open().run(SQL.setTier, [text(name), text(tier)]) === 0n) {
      throw new SqliteStoreError("not-found", `stream not found: ${name}`);
    }
  }

  secureLogStreamDeprecate(name: string, deprecatedAtRfc3339: string): void {
    if (this.open().run(SQL.deprecate, [text(name), text(deprecatedAtRfc3339)]) === 0n) {
      throw new SqliteStoreError("not-found", `stream not found: ${name}`);
    }
  }
}

function closeQuietly(db: Database): void {
  try {
    db.close();
  } catch {
    // The open failed already; that error is the one to report.
  }
}
