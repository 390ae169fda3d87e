// An in-process `Store` with the reference SQLite backend's rules (ids, ordering,
// gc, error texts), so the whole log runs in Node without wasm. Rows are copied
// on the way in and on the way out: callers never share memory with the store.
// One deliberate difference: a seqno may belong to one segment only.

import { rfc3339, systemClock, type Clock } from "../core/clock";
import type {
  SecureLogRow,
  SecureLogSegmentRow,
  SecureLogStreamRow,
  SegmentEntry,
  Store,
  WitnessLogRow,
} from "../core/store";
import { appendConflict } from "./append-rule";

/** One `secure_log_segment_entries` row, keyed by its seqno. */
export interface Membership {
  segmentId: bigint;
  leafIndex: bigint;
}

/** The live tables. The map keys are authoritative (a returned row carries its key). */
export interface MemoryTables {
  entries: Map<bigint, SecureLogRow>;
  segments: Map<bigint, SecureLogSegmentRow>;
  memberships: Map<bigint, Membership>;
  witness: Map<bigint, WitnessLogRow>;
  streams: Map<string, SecureLogStreamRow>;
}

const copyEntry = (r: SecureLogRow): SecureLogRow => ({
  ...r,
  payload: r.payload.slice(),
  prevEntryHash: r.prevEntryHash.slice(),
  entryHash: r.entryHash.slice(),
});
const copySegment = (r: SecureLogSegmentRow): SecureLogSegmentRow => ({
  ...r,
  merkleRoot: r.merkleRoot.slice(),
  lastEntryHash: r.lastEntryHash.slice(),
  prevCheckpointHash: r.prevCheckpointHash.slice(),
  signature: r.signature?.slice(),
});

/** SQLite's BINARY collation on UTF-8 text is code point order. */
function compareText(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
}
const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = (a: [bigint, unknown], b: [bigint, unknown]) => cmpBig(a[0], b[0]);
const maxOf = (xs: Iterable<bigint>): bigint | undefined => {
  let m: bigint | undefined;
  for (const x of xs) if (m === undefined || x > m) m = x;
  return m;
};

export class MemoryStore implements Store {
  private readonly t: MemoryTables = {
    entries: new Map(),
    segments: new Map(),
    memberships: new Map(),
    witness: new Map(),
    streams: new Map(),
  };
  private ready = false;
  private nextSegmentId = 1n;
  private nextWitnessId = 1n;

  private readonly clock: Clock;

  /** `clock` stamps the default stream's created-at. */
  constructor(clock: Clock = systemClock) {
    this.clock = clock;
  }

  /** For tamper tests: edits bypass every rule (no copies, no checks). */
  rawTables(): MemoryTables {
    return this.t;
  }

  private open(): MemoryTables {
    if (!this.ready) throw new Error("store not initialised: call init first");
    return this.t;
  }

  private streamEntries(streamId: string): [bigint, SecureLogRow][] {
    return [...this.open().entries].filter(([, r]) => r.streamId === streamId).sort(byKey);
  }

  private entryOut([seqno, r]: [bigint, SecureLogRow]): SecureLogRow {
    return { ...copyEntry(r), seqno };
  }

  private segmentOut([segmentId, r]: [bigint, SecureLogSegmentRow]): SecureLogSegmentRow {
    return { ...copySegment(r), segmentId };
  }

  private witnessRows(streamId: string): [bigint, WitnessLogRow][] {
    return [...this.open().witness].filter(([, r]) => r.streamId === streamId).sort(byKey);
  }

  init(config: string): void {
    if (config === "") throw new Error("store config must not be empty");
    this.ready = true;
    if (!this.t.streams.has("default")) {
      this.t.streams.set("default", {
        name: "default",
        tier: "public",
        description: "Default stream created automatically at init.",
        createdAtRfc3339: rfc3339(this.clock()),
      });
    }
  }

  /**
   * Compare-and-append (append-rule.ts): the row's seqno must be the next
   * global one and its prev_entry_hash its stream's last entry_hash. Check and
   * insert run synchronously, so no other call can come between them.
   */
  secureLogInsert(row: SecureLogRow): bigint {
    const t = this.open();
    if (row.seqno === undefined) throw new Error("secure-log-insert requires row.seqno");
    let globalHead: bigint | undefined;
    let last: [bigint, SecureLogRow] | undefined;
    for (const e of t.entries) {
      if (globalHead === undefined || e[0] > globalHead) globalHead = e[0];
      if (e[1].streamId === row.streamId && (last === undefined || e[0] > last[0])) last = e;
    }
    const conflict = appendConflict(
      row,
      row.seqno,
      globalHead,
      last && { seqno: last[0], entryHash: last[1].entryHash },
    );
    if (conflict !== undefined) throw new Error(conflict);
    t.entries.set(row.seqno, copyEntry(row));
    return row.seqno;
  }

  /**
   * Inserts a row as it was stored, checking only that its seqno is free, not
   * compare-and-append: for replaying a file store's records (history is
   * judged by verify_chain, not refused at open) and for tests that need a
   * state the rule never lets a writer reach (a gap, u64 max).
   */
  replayEntry(row: SecureLogRow): bigint {
    const t = this.open();
    if (row.seqno === undefined) throw new Error("secure-log-insert requires row.seqno");
    if (t.entries.has(row.seqno)) throw new Error(`duplicate seqno: ${row.seqno}`);
    t.entries.set(row.seqno, copyEntry(row));
    return row.seqno;
  }

  secureLogGlobalHead(): bigint | undefined {
    return maxOf(this.open().entries.keys());
  }

  secureLogGet(seqno: bigint): SecureLogRow | undefined {
    const r = this.open().entries.get(seqno);
    return r && this.entryOut([seqno, r]);
  }

  secureLogRange(streamId: string, fromSeqno: bigint, toSeqno: bigint): SecureLogRow[] {
    return this.streamEntries(streamId)
      .filter(([s]) => fromSeqno <= s && s <= toSeqno)
      .map((e) => this.entryOut(e));
  }

  secureLogHead(streamId: string): bigint | undefined {
    return this.streamEntries(streamId).at(-1)?.[0];
  }

  secureLogLast(streamId: string): SecureLogRow | undefined {
    const last = this.streamEntries(streamId).at(-1);
    return last && this.entryOut(last);
  }

  secureLogSegmentInsert(row: SecureLogSegmentRow, entries: SegmentEntry[]): bigint {
    const t = this.open();
    const seen = new Set<bigint>();
    for (const [seqno] of entries) {
      const owner = t.memberships.get(seqno)?.segmentId;
      if (owner !== undefined || seen.has(seqno)) {
        throw new Error(`seqno ${seqno} already belongs to segment ${owner ?? "being inserted"}`);
      }
      seen.add(seqno);
    }
    const id = this.nextSegmentId++;
    t.segments.set(id, { ...copySegment(row), segmentId: id });
    for (const [seqno, leafIndex] of entries)
      t.memberships.set(seqno, { segmentId: id, leafIndex });
    return id;
  }

  /**
   * Inserts a segment under the id it was exported with (an evidence bundle of
   * some streams has gaps in the ids); the id and its seqnos must be free.
   */
  replaySegment(segmentId: bigint, row: SecureLogSegmentRow, entries: SegmentEntry[]): void {
    if (this.open().segments.has(segmentId)) throw new Error(`duplicate segment id: ${segmentId}`);
    const next = this.nextSegmentId;
    this.nextSegmentId = segmentId;
    try {
      this.secureLogSegmentInsert(row, entries);
    } catch (e) {
      this.nextSegmentId = next;
      throw e;
    }
    this.nextSegmentId = next > segmentId ? next : segmentId + 1n;
  }

  secureLogSegmentGet(segmentId: bigint): SecureLogSegmentRow | undefined {
    const r = this.open().segments.get(segmentId);
    return r && this.segmentOut([segmentId, r]);
  }

  secureLogSegmentsList(streamId: string): SecureLogSegmentRow[] {
    return [...this.open().segments]
      .filter(([, r]) => r.streamId === streamId)
      .sort(byKey)
      .map((s) => this.segmentOut(s));
  }

  secureLogSegmentLastSeqno(streamId: string): bigint | undefined {
    return maxOf(this.secureLogSegmentsList(streamId).map((s) => s.seqEnd));
  }

  secureLogSegmentEntrySeqnos(segmentId: bigint): bigint[] {
    return [...this.open().memberships]
      .filter(([, m]) => m.segmentId === segmentId)
      .sort(([, a], [, b]) => cmpBig(a.leafIndex, b.leafIndex))
      .map(([seqno]) => seqno);
  }

  secureLogSegmentForSeqno(seqno: bigint): bigint | undefined {
    return this.open().memberships.get(seqno)?.segmentId;
  }

  secureLogSegmentSetSignature(
    segmentId: bigint,
    signature: Uint8Array,
    signerIdentity: string,
  ): void {
    const r = this.open().segments.get(segmentId);
    if (!r) throw new Error(`segment not found: ${segmentId}`);
    r.signature = signature.slice();
    r.signerIdentity = signerIdentity;
  }

  witnessLogInsert(row: WitnessLogRow): bigint {
    const t = this.open();
    const id = this.nextWitnessId++;
    t.witness.set(id, { ...row, id });
    return id;
  }

  witnessLogLatest(streamId: string): WitnessLogRow | undefined {
    const last = this.witnessRows(streamId).at(-1);
    return last && { ...last[1], id: last[0] };
  }

  witnessLogList(streamId: string): WitnessLogRow[] {
    return this.witnessRows(streamId).map(([id, r]) => ({ ...r, id }));
  }

  witnessLogStreamIds(): string[] {
    return [...new Set([...this.open().witness.values()].map((r) => r.streamId))].sort(compareText);
  }

  witnessLogGc(
    streamId: string | undefined,
    keepLatest: number | undefined,
    olderThanRfc3339: string | undefined,
  ): number {
    const t = this.open();
    const streams =
      streamId !== undefined
        ? [streamId]
        : [...new Set([...t.witness.values()].map((r) => r.streamId))];
    let deleted = 0;
    for (const sid of streams) {
      const rows = this.witnessRows(sid);
      const keep = new Set(
        keepLatest === undefined
          ? []
          : rows
              .map(([id]) => id)
              .reverse()
              .slice(0, keepLatest),
      );
      if (keep.size === 0 && olderThanRfc3339 === undefined) continue;
      const candidates = rows.filter(
        ([, r]) =>
          olderThanRfc3339 === undefined || compareText(r.receivedAtRfc3339, olderThanRfc3339) < 0,
      );
      for (const [id] of candidates) {
        if (keep.has(id)) continue;
        t.witness.delete(id);
        deleted++;
      }
    }
    return deleted;
  }

  secureLogStreamUpsert(row: SecureLogStreamRow): void {
    const t = this.open();
    const createdAtRfc3339 = t.streams.get(row.name)?.createdAtRfc3339 ?? row.createdAtRfc3339;
    t.streams.set(row.name, { ...row, createdAtRfc3339 });
  }

  secureLogStreamGet(name: string): SecureLogStreamRow | undefined {
    const r = this.open().streams.get(name);
    return r && { ...r };
  }

  /** Ordered by name, as the reference (`ORDER BY name`). */
  secureLogStreamList(): SecureLogStreamRow[] {
    return [...this.open().streams.values()]
      .sort((a, b) => compareText(a.name, b.name))
      .map((r) => ({ ...r }));
  }

  secureLogStreamSetTier(name: string, tier: string): void {
    const r = this.open().streams.get(name);
    if (!r) throw new Error(`stream not found: ${name}`);
    r.tier = tier;
  }

  secureLogStreamDeprecate(name: string, deprecatedAtRfc3339: string): void {
    const r = this.open().streams.get(name);
    if (!r) throw new Error(`stream not found: ${name}`);
    r.deprecatedAtRfc3339 = deprecatedAtRfc3339;
  }
}
