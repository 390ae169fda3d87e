// The anti-rollback head file (FORMAT §7.1): the newest signed checkpoint per
// stream, kept beside the store. Byte-compatible with the reference's
// serde_json pretty output, but it never moves a stream's record backwards (§10.6)
// and its hash is parsed strictly (§10.7).

import { errors } from "./errors";
import { HASH_LEN, U64_MAX } from "./model";
import { parseHexExact } from "./hex";
import { JsonFields, jsonString, parseJson } from "./json";

export const HEAD_FILE_VERSION = 1;

export interface HeadRecord {
  streamId: string;
  segmentId: bigint;
  seqEnd: bigint;
  checkpointHashHex: string;
  updatedAtRfc3339: string;
}

export interface HeadFile {
  version: 1;
  records: HeadRecord[];
}

/** Where the head text lives; the save must be atomic (the Node one renames a temp file). */
export interface HeadStorage {
  load(): Promise<string | undefined>;
  save(text: string): Promise<void>;
}

export function emptyHeadFile(): HeadFile {
  return { version: HEAD_FILE_VERSION, records: [] };
}

/**
 * The store path with ".heads.json" added to its file name, as Rust's
 * `set_file_name`: "/" and other paths without a file name get "tpm.db.heads.json".
 */
export function headFilePath(storePath: string): string {
  let p = storePath;
  // Rust's Path ignores trailing separators and trailing "." components.
  for (;;) {
    const q = p.replace(/\/+$/, "").replace(/\/\.$/, "");
    if (q === p || q === "") break;
    p = q;
  }
  const slash = p.lastIndexOf("/");
  const name = p.slice(slash + 1);
  if (name === "" || name === "." || name === "..") {
    if (storePath === "") return "tpm.db.heads.json";
    const sep = storePath.endsWith("/") ? "" : "/";
    return `${storePath}${sep}tpm.db.heads.json`;
  }
  if (slash < 0) return `${name}.heads.json`;
  const parent = p.slice(0, slash).replace(/\/+$/, "");
  return `${parent}/${name}.heads.json`;
}

/** `with_extension("json.tmp")`: "x.db.heads.json" → "x.db.heads.json.tmp". */
export function headTempPath(headPath: string): string {
  const slash = headPath.lastIndexOf("/");
  const name = headPath.slice(slash + 1);
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? headPath.slice(0, slash + 1 + dot) : headPath;
  return `${stem}.json.tmp`;
}

/** Undefined (no file yet) is an empty head file. Every problem is a `storage` error. */
export function parseHeadFile(text: string | undefined): HeadFile {
  if (text === undefined) return emptyHeadFile();
  const fail = (msg: string) => errors.storage(`head file: ${msg}`);
  const top = JsonFields.of(parseJson(text, fail), "", fail);
  const version = top.u32("version");
  if (version !== HEAD_FILE_VERSION) {
    throw errors.storage(
      `unsupported head file version: ${version} (expected ${HEAD_FILE_VERSION})`,
    );
  }
  const records = top.has("records") ? top.array("records") : [];
  return {
    version: HEAD_FILE_VERSION,
    records: records.map((r, i) => {
      const f = JsonFields.of(r, `records[${i}]`, fail);
      return {
        streamId: f.string("stream_id"),
        segmentId: f.u64("segment_id"),
        seqEnd: f.u64("seq_end"),
        checkpointHashHex: f.string("checkpoint_hash_hex"),
        updatedAtRfc3339: f.string("updated_at_rfc3339"),
      };
    }),
  };
}

function u64Text(n: bigint, what: string): string {
  if (n < 0n || n > U64_MAX) throw errors.invalid(`${what} out of u64 range: ${n}`);
  return n.toString(10);
}

/** serde_json `to_string_pretty`, byte for byte (no trailing newline). */
export function serializeHeadFile(hf: HeadFile): string {
  if (hf.records.length === 0) return `{\n  "version": ${hf.version},\n  "records": []\n}`;
  const records = hf.records.map(
    (r) =>
      "    {\n" +
      `      "stream_id": ${jsonString(r.streamId)},\n` +
      `      "segment_id": ${u64Text(r.segmentId, "segment_id")},\n` +
      `      "seq_end": ${u64Text(r.seqEnd, "seq_end")},\n` +
      `      "checkpoint_hash_hex": ${jsonString(r.checkpointHashHex)},\n` +
      `      "updated_at_rfc3339": ${jsonString(r.updatedAtRfc3339)}\n` +
      "    }",
  );
  return `{\n  "version": ${hf.version},\n  "records": [\n${records.join(",\n")}\n  ]\n}`;
}

/**
 * The record's checkpoint hash, or why it is unusable. Strict where the
 * reference is not (it accepts "+1" pairs and panics on odd lengths).
 */
export function parseRecordHash(rec: HeadRecord): Uint8Array | string {
  return parseHexExact(rec.checkpointHashHex, HASH_LEN);
}

export function findHead(hf: HeadFile, streamId: string): HeadRecord | undefined {
  return hf.records.find((r) => r.streamId === streamId);
}

/**
 * Upserts `rec` (same position, or appended) unless it would move the
 * stream's head to an older segment, which the reference allows when an old
 * segment is re-signed. A refused record leaves the file as it was.
 */
export function advanceHead(hf: HeadFile, rec: HeadRecord): { file: HeadFile; moved: boolean } {
  const i = hf.records.findIndex((r) => r.streamId === rec.streamId);
  if (i < 0) return { file: { ...hf, records: [...hf.records, rec] }, moved: true };
  if (rec.segmentId < hf.records[i]!.segmentId) return { file: hf, moved: false };
  const records = hf.records.slice();
  records[i] = rec;
  return { file: { ...hf, records }, moved: true };
}

/** Keeps the text in memory: for tests and for hosts without a filesystem. */
export class MemoryHeadStorage implements HeadStorage {
  constructor(public text: string | undefined = undefined) {}

  async load(): Promise<string | undefined> {
    return this.text;
  }

  async save(text: string): Promise<void> {
    this.text = text;
  }
}
