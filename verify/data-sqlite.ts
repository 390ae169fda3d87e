// Raw edits of a SQLite database's bytes, as an attacker with the file or a
// bad disk would make them, bypassing SQL (and so the triggers): every copy of
// an entry's payload in `<db>` and in the live frames of `<db>-wal` gets one
// bit flipped. A payload byte keeps the record well formed, so the row still
// reads and only the hash chain can tell.
//
// SQLite pages carry no checksum, but WAL frames do (a running checksum over
// every frame since the header): a flipped byte in a frame would make the next
// open drop that frame and all after it, i.e. lose entries rather than alter
// one. So a frame that is edited gets the checksums of its own and every later
// live frame recomputed, as someone who knows the format would do.

import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";

/** A payload shorter than this could occur by chance elsewhere in the file. */
const MIN_PATTERN = 16;

const WAL_MAGIC_LE = 0x377f0682;
const WAL_MAGIC_BE = 0x377f0683;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

const readIfExists = (path: string) =>
  readFile(path).then(
    (b) => b,
    () => undefined,
  );

/** Every offset in `buf[from, to)` where `pattern` starts. */
function occurrences(buf: Buffer, pattern: Uint8Array, from = 0, to = buf.length): number[] {
  const found: number[] = [];
  for (let at = buf.indexOf(pattern, from); at >= 0 && at + pattern.length <= to;) {
    found.push(at);
    at = buf.indexOf(pattern, at + 1);
  }
  return found;
}

/** SQLite's page size from the database header (offset 16, big-endian; 1 means 65536). */
function dbPageSize(db: Buffer): number {
  const n = db.readUInt16BE(16);
  return n === 1 ? 65536 : n;
}

/** The WAL checksum (sqlite3 wal.c walChecksumBytes) of `buf[start, end)`, continuing `s`. */
function walChecksum(
  buf: Buffer,
  start: number,
  end: number,
  s: readonly [number, number],
  bigEndian: boolean,
): [number, number] {
  let [s1, s2] = s;
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s1 = (s1 + x0 + s2) >>> 0;
    s2 = (s2 + x1 + s1) >>> 0;
  }
  return [s1, s2];
}

interface Wal {
  pageSize: number;
  bigEndian: boolean;
  /** Offsets of the frames a reader would use: salts match and the running checksum holds. */
  frames: number[];
}

/** The live frames of a WAL file, as SQLite's recovery finds them; undefined when there are none. */
function parseWal(wal: Buffer): Wal | undefined {
  if (wal.length < WAL_HEADER) return undefined;
  const magic = wal.readUInt32BE(0);
  if (magic !== WAL_MAGIC_LE && magic !== WAL_MAGIC_BE) return undefined;
  const bigEndian = magic === WAL_MAGIC_BE;
  const pageSize = wal.readUInt32BE(8);
  let sum = walChecksum(wal, 0, 24, [0, 0], bigEndian);
  if (sum[0] !== wal.readUInt32BE(24) || sum[1] !== wal.readUInt32BE(28)) return undefined;
  const frames: number[] = [];
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.length;) {
    const saltsMatch = wal.compare(wal, 16, 24, at + 8, at + 16) === 0;
    if (wal.readUInt32BE(at) === 0 || !saltsMatch) break;
    sum = walChecksum(wal, at, at + 8, sum, bigEndian);
    sum = walChecksum(wal, at + FRAME_HEADER, at + FRAME_HEADER + pageSize, sum, bigEndian);
    if (sum[0] !== wal.readUInt32BE(at + 16) || sum[1] !== wal.readUInt32BE(at + 20)) break;
    frames.push(at);
    at += FRAME_HEADER + pageSize;
  }
  return { pageSize, bigEndian, frames };
}

/** Rewrites the running checksum of every live frame after an edit. */
function resealWal(buf: Buffer, wal: Wal): void {
  let sum: [number, number] = [buf.readUInt32BE(24), buf.readUInt32BE(28)];
  for (const at of wal.frames) {
    sum = walChecksum(buf, at, at + 8, sum, wal.bigEndian);
    sum = walChecksum(buf, at + FRAME_HEADER, at + FRAME_HEADER + wal.pageSize, sum, wal.bigEndian);
    buf.writeUInt32BE(sum[0], at + 16);
    buf.writeUInt32BE(sum[1], at + 20);
  }
}

/**
 * Flips the lowest bit of the first byte of every copy of `payload` in the
 * database at `dbPath` and in the live frames of its WAL, writing both files
 * in place. Returns where: "secure-log.db page 3; secure-log.db-wal page 3 (2 of 40
 * frames, checksums resealed): payload byte 0x5e → 0x5f".
 */
export async function flipPayloadBit(dbPath: string, payload: Uint8Array): Promise<string> {
  if (payload.length < MIN_PATTERN) {
    throw new Error(
      `a payload of ${payload.length} bytes is no unique pattern to find in ${dbPath}`,
    );
  }
  const where: string[] = [];

  const db = await readIfExists(dbPath);
  if (db !== undefined && db.length >= 100) {
    const pageSize = dbPageSize(db);
    const hits = occurrences(db, payload);
    for (const at of hits) db[at]! ^= 0x01;
    if (hits.length > 0) {
      await writeFile(dbPath, db);
      const pages = hits.map((at) => Math.floor(at / pageSize) + 1);
      where.push(`${basename(dbPath)} page ${pages.join(", ")}`);
    }
  }

  const walPath = `${dbPath}-wal`;
  const walBytes = await readIfExists(walPath);
  const wal = walBytes && parseWal(walBytes);
  if (walBytes !== undefined && wal !== undefined) {
    // A page is in the WAL once per commit that changed it; every copy is edited.
    let frames = 0;
    const pages = new Set<number>();
    for (const at of wal.frames) {
      const data = at + FRAME_HEADER;
      for (const hit of occurrences(walBytes, payload, data, data + wal.pageSize)) {
        walBytes[hit]! ^= 0x01;
        frames++;
        pages.add(walBytes.readUInt32BE(at));
      }
    }
    if (frames > 0) {
      resealWal(walBytes, wal);
      await writeFile(walPath, walBytes);
      const of = `${frames} of ${wal.frames.length} frames`;
      where.push(`${basename(walPath)} page ${[...pages].join(", ")} (${of}, checksums resealed)`);
    }
  }

  if (where.length === 0) {
    throw new Error(`the payload is in neither ${dbPath} nor the live frames of its WAL`);
  }
  const [from, to] = [payload[0]!, payload[0]! ^ 0x01].map(
    (b) => `0x${b.toString(16).padStart(2, "0")}`,
  );
  return `${where.join("; ")}: payload byte ${from} → ${to}`;
}
