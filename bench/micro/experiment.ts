// The micro-profile's experiment component: verify-chain's per-entry steps
// timed inside StarlingMonkey with performance.now(), on rows shaped as a
// store returns them (fresh strings, 256-byte payloads). Some steps are the
// shapes the core used before or rejected, kept as the comparison that
// docs/design/performance.md quotes. Built and run by bench/micro/run.ts;
// not part of any stack.

import { CborWriter } from "../../src/core/cbor";
import { encodeEntryParts } from "../../src/core/encoder";
import { sha256, sha256Each } from "../../src/core/hash";
import { bytesEqual } from "../../src/core/hex";
import { ENTRY_VERSION } from "../../src/core/model";
import { digestsEqual, rowSeqno, rowToEntry } from "../../src/core/rows";
import type { SecureLogRow } from "../../src/core/store";

function makeRows(n: number): SecureLogRow[] {
  const payload = new Uint8Array(256).map((_, i) => (i * 7) & 0xff);
  // A fresh string per row and field, as rows lifted from a store arrive.
  const fresh = (t: string) => (t + " ").slice(0, -1);
  const rows: SecureLogRow[] = [];
  for (let i = 0; i < n; i++) {
    rows.push({
      seqno: BigInt(i + 2),
      streamId: fresh("bench"),
      sessionId: fresh("0b1c6c2e-7a7e-4d1a-9a53-2f8e3c0d9b41"),
      bootId: fresh("5f0e9a2c-31d4-4b6e-8f17-c2a9d3e4b580"),
      timestampRfc3339: fresh(`2026-01-01T00:00:${String(i % 60).padStart(2, "0")}.123456+00:00`),
      eventType: fresh("bench.event"),
      severity: "info",
      producer: fresh("bench"),
      payloadEncoding: fresh("cbor"),
      payload: payload.slice(),
      prevEntryHash: new Uint8Array(32).fill(i & 0xff),
      entryHash: new Uint8Array(32).fill((i + 1) & 0xff),
    });
  }
  return rows;
}

const utf8 = new TextEncoder();

/**
 * The entry encoding item by item through the growable writer, the core's
 * shape before (the writer itself has since dropped DataView and mixed
 * BigInt comparisons, so this is faster than the old code was).
 */
function encodeWithWriter(r: SecureLogRow): Uint8Array {
  return new CborWriter(512)
    .array(12)
    .uint(ENTRY_VERSION)
    .text(r.streamId)
    .text(r.sessionId)
    .text(r.bootId)
    .uint(rowSeqno(r))
    .text(r.timestampRfc3339)
    .text(r.eventType)
    .text(r.severity)
    .text(r.producer)
    .text(r.payloadEncoding)
    .bytes(r.payload)
    .bytes(r.prevEntryHash)
    .finish();
}

/** Writing char codes instead of TextEncoder (an "ASCII fast path"); returns bytes written. */
function asciiInto(buf: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    buf[at + i] = c;
  }
  return s.length;
}

const encodeNow = (r: SecureLogRow) => encodeEntryParts(ENTRY_VERSION, r, rowSeqno(r));

type Step = (rows: SecureLogRow[]) => unknown;

/** Step names, in the order printed; each runs over all rows. */
export const STEPS: Record<string, Step> = {
  "for-of loop over the rows (the floor)": (rows) => {
    let x = 0;
    for (const r of rows) x += r.payload.length;
    return x;
  },
  "rowToEntry (an EntryFields per row)": (rows) => rows.map(rowToEntry),
  "TextEncoder.encode of the 6 entry strings": (rows) => {
    for (const r of rows) {
      utf8.encode(r.streamId);
      utf8.encode(r.sessionId);
      utf8.encode(r.bootId);
      utf8.encode(r.timestampRfc3339);
      utf8.encode(r.eventType);
      utf8.encode(r.producer);
    }
  },
  "char-code loop over the 6 strings instead (ASCII path)": (rows) => {
    const buf = new Uint8Array(512);
    for (const r of rows) {
      asciiInto(buf, 0, r.streamId);
      asciiInto(buf, 0, r.sessionId);
      asciiInto(buf, 0, r.bootId);
      asciiInto(buf, 0, r.timestampRfc3339);
      asciiInto(buf, 0, r.eventType);
      asciiInto(buf, 0, r.producer);
    }
  },
  "encode: CborWriter item by item (the shape before)": (rows) => rows.map(encodeWithWriter),
  "encode: encodeEntryParts from the row (now)": (rows) => rows.map(encodeNow),
  "copy to a fresh ArrayBuffer (slice().buffer)": (rows) => {
    const e = encodeNow(rows[0]!);
    let bytes = 0;
    for (let i = 0; i < rows.length; i++) bytes += e.slice().buffer.byteLength;
    return bytes;
  },
  "subtle.digest of 400 B, awaited one by one": async (rows) => {
    const buf = encodeNow(rows[0]!).slice().buffer;
    for (let i = 0; i < rows.length; i++) await crypto.subtle.digest("SHA-256", buf);
  },
  "subtle.digest of 400 B, not awaited": (rows) => {
    const buf = encodeNow(rows[0]!).slice().buffer;
    for (let i = 0; i < rows.length; i++) void crypto.subtle.digest("SHA-256", buf);
  },
  "subtle.digest of 10 B, awaited one by one": async (rows) => {
    const buf = new ArrayBuffer(10);
    for (let i = 0; i < rows.length; i++) await crypto.subtle.digest("SHA-256", buf);
  },
  "sha256() (async wrapper) per hash, awaited one by one": async (rows) => {
    const e = encodeNow(rows[0]!);
    for (let i = 0; i < rows.length; i++) await sha256(e);
  },
  "sha256() per hash under Promise.all (before)": async (rows) => {
    const e = encodeNow(rows[0]!);
    await Promise.all(rows.map(() => sha256(e)));
  },
  "sha256Each (now)": async (rows) => {
    const e = encodeNow(rows[0]!);
    await sha256Each(rows.map(() => e));
  },
  "bytesEqual ×2 per row (before)": (rows) => {
    let k = 0;
    for (const r of rows)
      if (bytesEqual(r.entryHash, r.entryHash) && bytesEqual(r.prevEntryHash, r.prevEntryHash)) k++;
    return k;
  },
  "digestsEqual ×2 per row (now)": (rows) => {
    let k = 0;
    for (const r of rows)
      if (digestsEqual(r.entryHash, r.entryHash) && digestsEqual(r.prevEntryHash, r.prevEntryHash))
        k++;
    return k;
  },
  "hash phase, shape before: Promise.all(sha256(CborWriter))": (rows) =>
    Promise.all(rows.map((r) => sha256(encodeWithWriter(r)))),
  "hash phase now: encodeEntryParts, then sha256Each": (rows) => sha256Each(rows.map(encodeNow)),
};

/**
 * JSON [[step, µs per row], ...]: the best of `reps` runs of each step over
 * `n` rows. `names` picks steps ("|"-separated); empty runs all.
 */
export async function run(names: string, n: number, reps: number): Promise<string> {
  const rows = makeRows(n);
  const wanted = names === "" ? Object.keys(STEPS) : names.split("|");
  const out: [string, number][] = [];
  for (const name of wanted) {
    const step = STEPS[name];
    if (step === undefined) throw new Error(`no step '${name}'`);
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      await step(rows);
      best = Math.min(best, performance.now() - t);
    }
    out.push([name, (best / n) * 1000]);
  }
  return JSON.stringify(out);
}
