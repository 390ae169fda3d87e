// A Store in one append-only JSON-lines file (format: ./FORMAT.md). A
// MemoryStore is the index: opening replays every line into it, and every write
// goes through it first, so the reference's rules and error texts live in
// MemoryStore alone. A write the index refuses never reaches the file; an
// accepted one is appended and synced before the call returns. The index can
// only check a write by applying it, so if the append then fails, the index
// holds a write the file lacks: the store refuses every call until init reopens
// it from the file. One process may have the file open at a time.

import { systemClock, type Clock } from "../../core/clock";
import type {
  SecureLogRow,
  SecureLogSegmentRow,
  SecureLogStreamRow,
  SegmentEntry,
  Store,
  WitnessLogRow,
} from "../../core/store";
import type { FileSystem } from "../../wasi/file-system";
import { MemoryStore } from "../memory-store";
import { FileStoreError, messageOf } from "./errors";
import { openFile, type Recovery } from "./open-file";
import {
  entryJson,
  recordLine,
  segmentJson,
  signatureJson,
  streamDeprecateJson,
  streamJson,
  streamTierJson,
  witnessGcJson,
  witnessJson,
} from "./records";

export type { Recovery } from "./open-file";

export interface FileStoreOptions {
  /** Stamps the default stream's created-at in a new file. */
  clock?: Clock;
  /** Told when opening cut a torn final record; default: console.error. */
  warn?: (message: string) => void;
}

type Json = Record<string, unknown>;
const encoder = new TextEncoder();

export class FileStore implements Store {
  private index = new MemoryStore();
  private file: string | undefined;
  private size = 0;
  private failure: string | undefined;
  private readonly clock: Clock;
  private readonly warn: (message: string) => void;

  /** Set by init when it cut a torn final record. */
  recovered: Recovery | undefined;

  constructor(
    private readonly fs: FileSystem,
    options: FileStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.warn = options.warn ?? ((message) => console.error(message));
  }

  /** The open file's path, once init has succeeded. */
  get path(): string | undefined {
    return this.file;
  }

  /** Opens (or creates) the file at `config`, rebuilding the index from it. */
  init(config: string): void {
    this.index = new MemoryStore(this.clock);
    this.file = undefined;
    this.failure = undefined;
    this.recovered = undefined;
    if (config === "") {
      throw new FileStoreError("config", "store config must not be empty (give the file's path)");
    }
    const opened = openFile(this.fs, config, this.clock);
    this.index = opened.index;
    this.file = config;
    this.size = opened.size;
    if (opened.recovered) {
      this.recovered = opened.recovered;
      this.warn(opened.recovered.message);
    }
  }

  private ready(): MemoryStore {
    if (this.failure !== undefined) {
      throw new FileStoreError(
        "unusable",
        `file store ${this.file} is unusable after a failed write (${this.failure}); ` +
          "call init to reopen it from the file",
      );
    }
    return this.index;
  }

  /** Applies a write to the index (its rules may refuse it), then makes it durable. */
  private commit<T>(apply: (index: MemoryStore) => T, record: (result: T) => Json | undefined): T {
    const result = apply(this.ready());
    const json = record(result);
    if (json !== undefined) this.append(recordLine(json));
    return result;
  }

  private append(line: string): void {
    const path = this.file as string;
    const bytes = encoder.encode(`${line}\n`);
    try {
      this.fs.appendDurable(path, bytes);
      this.size += bytes.length;
    } catch (e) {
      this.failure = messageOf(e);
      try {
        this.fs.truncate(path, this.size); // drop a partly written line, if any
      } catch {
        // Reopening cuts a torn line anyway.
      }
      throw new FileStoreError(
        "io",
        `file store ${path}: write failed: ${this.failure}; nothing was stored, ` +
          "and the store refuses further calls until init reopens it",
        { cause: e },
      );
    }
  }

  /**
   * Compare-and-append: the index checks the seqno and the stream's last
   * entry_hash and inserts, then the line is appended, all synchronously, so
   * no other call on this store comes between the check and the write.
   */
  secureLogInsert(row: SecureLogRow): bigint {
    const json = entryJson(row);
    return this.commit(
      (ix) => ix.secureLogInsert(row),
      () => json,
    );
  }

  secureLogGlobalHead(): bigint | undefined {
    return this.ready().secureLogGlobalHead();
  }

  secureLogGet(seqno: bigint): SecureLogRow | undefined {
    return this.ready().secureLogGet(seqno);
  }

  secureLogRange(streamId: string, fromSeqno: bigint, toSeqno: bigint): SecureLogRow[] {
    return this.ready().secureLogRange(streamId, fromSeqno, toSeqno);
  }

  secureLogHead(streamId: string): bigint | undefined {
    return this.ready().secureLogHead(streamId);
  }

  secureLogLast(streamId: string): SecureLogRow | undefined {
    return this.ready().secureLogLast(streamId);
  }

  secureLogSegmentInsert(row: SecureLogSegmentRow, entries: SegmentEntry[]): bigint {
    const json = segmentJson(row, entries);
    return this.commit(
      (ix) => ix.secureLogSegmentInsert(row, entries),
      (id) => ({ ...json, segment_id: id.toString() }),
    );
  }

  secureLogSegmentGet(segmentId: bigint): SecureLogSegmentRow | undefined {
    return this.ready().secureLogSegmentGet(segmentId);
  }

  secureLogSegmentsList(streamId: string): SecureLogSegmentRow[] {
    return this.ready().secureLogSegmentsList(streamId);
  }

  secureLogSegmentLastSeqno(streamId: string): bigint | undefined {
    return this.ready().secureLogSegmentLastSeqno(streamId);
  }

  secureLogSegmentEntrySeqnos(segmentId: bigint): bigint[] {
    return this.ready().secureLogSegmentEntrySeqnos(segmentId);
  }

  secureLogSegmentForSeqno(seqno: bigint): bigint | undefined {
    return this.ready().secureLogSegmentForSeqno(seqno);
  }

  secureLogSegmentSetSignature(
    segmentId: bigint,
    signature: Uint8Array,
    signerIdentity: string,
  ): void {
    const json = signatureJson(segmentId, signature, signerIdentity);
    this.commit(
      (ix) => ix.secureLogSegmentSetSignature(segmentId, signature, signerIdentity),
      () => json,
    );
  }

  witnessLogInsert(row: WitnessLogRow): bigint {
    const json = witnessJson(row);
    return this.commit(
      (ix) => ix.witnessLogInsert(row),
      (id) => ({ ...json, id: id.toString() }),
    );
  }

  witnessLogLatest(streamId: string): WitnessLogRow | undefined {
    return this.ready().witnessLogLatest(streamId);
  }

  witnessLogList(streamId: string): WitnessLogRow[] {
    return this.ready().witnessLogList(streamId);
  }

  witnessLogStreamIds(): string[] {
    return this.ready().witnessLogStreamIds();
  }

  /** Records the ids it deleted (not the request), so replay cannot decide differently. */
  witnessLogGc(
    streamId: string | undefined,
    keepLatest: number | undefined,
    olderThanRfc3339: string | undefined,
  ): number {
    const gone = this.commit(
      (ix) => {
        const rows = ix.rawTables().witness;
        const before = [...rows.keys()];
        ix.witnessLogGc(streamId, keepLatest, olderThanRfc3339);
        return before.filter((id) => !rows.has(id));
      },
      (ids) => (ids.length > 0 ? witnessGcJson(ids) : undefined),
    );
    return gone.length;
  }

  secureLogStreamUpsert(row: SecureLogStreamRow): void {
    const json = streamJson(row);
    this.commit(
      (ix) => ix.secureLogStreamUpsert(row),
      () => json,
    );
  }

  secureLogStreamGet(name: string): SecureLogStreamRow | undefined {
    return this.ready().secureLogStreamGet(name);
  }

  secureLogStreamList(): SecureLogStreamRow[] {
    return this.ready().secureLogStreamList();
  }

  secureLogStreamSetTier(name: string, tier: string): void {
    const json = streamTierJson(name, tier);
    this.commit(
      (ix) => ix.secureLogStreamSetTier(name, tier),
      () => json,
    );
  }

  secureLogStreamDeprecate(name: string, deprecatedAtRfc3339: string): void {
    const json = streamDeprecateJson(name, deprecatedAtRfc3339);
    this.commit(
      (ix) => ix.secureLogStreamDeprecate(name, deprecatedAtRfc3339),
      () => json,
    );
  }
}
