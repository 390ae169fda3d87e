import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecureLogError } from "../../src/core/errors";
import {
  MemoryHeadStorage,
  advanceHead,
  emptyHeadFile,
  headFilePath,
  headTempPath,
  parseHeadFile,
  parseRecordHash,
  serializeHeadFile,
  type HeadFile,
  type HeadRecord,
} from "../../src/core/head-file";
import { FsHeadStorage } from "../../src/node/head-storage-fs";

const HASH = "5339dd1e" + "ab".repeat(28);

function rec(streamId: string, segmentId: bigint, over: Partial<HeadRecord> = {}): HeadRecord {
  return {
    streamId,
    segmentId,
    seqEnd: segmentId * 10n,
    checkpointHashHex: HASH,
    updatedAtRfc3339: "2026-04-10T00:00:00+00:00",
    ...over,
  };
}

function storageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SecureLogError);
    const p = (e as SecureLogError).payload;
    expect(p.tag).toBe("storage");
    return (p as { val: string }).val;
  }
  throw new Error("expected an error");
}

describe("head file paths", () => {
  it("appends .heads.json to the file name", () => {
    expect(headFilePath("/var/lib/tpm/tpm.db")).toBe("/var/lib/tpm/tpm.db.heads.json");
    expect(headFilePath("/tmp/tpm.db")).toBe("/tmp/tpm.db.heads.json");
    expect(headFilePath("audit.db")).toBe("audit.db.heads.json");
    expect(headFilePath("/audit.db")).toBe("/audit.db.heads.json");
    expect(headFilePath("/var/lib/tpm/")).toBe("/var/lib/tpm.heads.json");
  });

  it("uses tpm.db when the path has no file name", () => {
    expect(headFilePath("/")).toBe("/tpm.db.heads.json");
    expect(headFilePath("")).toBe("tpm.db.heads.json");
    expect(headFilePath("/var/..")).toBe("/var/../tpm.db.heads.json");
  });

  it("writes through <head>.tmp", () => {
    expect(headTempPath("/x/audit.db.heads.json")).toBe("/x/audit.db.heads.json.tmp");
    expect(headTempPath("tpm.db.heads.json")).toBe("tpm.db.heads.json.tmp");
  });
});

describe("serializeHeadFile / parseHeadFile", () => {
  it("writes the empty file exactly", () => {
    expect(serializeHeadFile(emptyHeadFile())).toBe('{\n  "version": 1,\n  "records": []\n}');
  });

  it("writes serde_json pretty bytes and keeps u64 exact", () => {
    const hf: HeadFile = {
      version: 1,
      records: [
        rec("default", (1n << 64n) - 1n, { seqEnd: (1n << 53n) + 1n }),
        rec('ünï "q"\n', 3n, { updatedAtRfc3339: "2026-04-10T01:02:03.456+00:00" }),
      ],
    };
    const text = serializeHeadFile(hf);
    expect(text).toBe(
      `{
  "version": 1,
  "records": [
    {
      "stream_id": "default",
      "segment_id": 18446744073709551615,
      "seq_end": 9007199254740993,
      "checkpoint_hash_hex": "${HASH}",
      "updated_at_rfc3339": "2026-04-10T00:00:00+00:00"
    },
    {
      "stream_id": "ünï \\"q\\"\\n",
      "segment_id": 3,
      "seq_end": 30,
      "checkpoint_hash_hex": "${HASH}",
      "updated_at_rfc3339": "2026-04-10T01:02:03.456+00:00"
    }
  ]
}`,
    );
    expect(parseHeadFile(text)).toEqual(hf);
    expect(serializeHeadFile(parseHeadFile(text))).toBe(text);
  });

  it("agrees with JSON.stringify's pretty layout on safe values", () => {
    const hf: HeadFile = { version: 1, records: [rec("a", 1n), rec("b", 2n)] };
    const plain = {
      version: 1,
      records: hf.records.map((r) => ({
        stream_id: r.streamId,
        segment_id: Number(r.segmentId),
        seq_end: Number(r.seqEnd),
        checkpoint_hash_hex: r.checkpointHashHex,
        updated_at_rfc3339: r.updatedAtRfc3339,
      })),
    };
    expect(serializeHeadFile(hf)).toBe(JSON.stringify(plain, null, 2));
  });

  it("reads the FORMAT §7.1 example shape", () => {
    const text = `{
  "version": 1,
  "records": [
    {
      "stream_id": "default",
      "segment_id": 4,
      "seq_end": 8,
      "checkpoint_hash_hex": "${HASH}",
      "updated_at_rfc3339": "2026-04-10T00:00:00+00:00"
    }
  ]
}`;
    expect(parseHeadFile(text)).toEqual({
      version: 1,
      records: [
        {
          streamId: "default",
          segmentId: 4n,
          seqEnd: 8n,
          checkpointHashHex: HASH,
          updatedAtRfc3339: "2026-04-10T00:00:00+00:00",
        },
      ],
    });
  });

  it("treats a missing file or a missing records key as empty, and ignores unknown keys", () => {
    expect(parseHeadFile(undefined)).toEqual({ version: 1, records: [] });
    expect(parseHeadFile('{"version":1}')).toEqual({ version: 1, records: [] });
    const extra = `{"version":1,"x":[1.5e3],"records":[{"stream_id":"s","segment_id":1,"seq_end":2,"checkpoint_hash_hex":"","updated_at_rfc3339":"t","note":{}}]}`;
    // Unknown values must still be valid JSON of the kinds we accept.
    expect(() => parseHeadFile(extra)).toThrow(/fractional/);
    const ok = extra.replace("[1.5e3]", '"anything"');
    expect(parseHeadFile(ok).records[0]!.streamId).toBe("s");
  });

  it("refuses other versions with the reference's message", () => {
    expect(storageError(() => parseHeadFile('{"version": 2, "records": []}'))).toBe(
      "unsupported head file version: 2 (expected 1)",
    );
    expect(storageError(() => parseHeadFile('{"version": 0}'))).toBe(
      "unsupported head file version: 0 (expected 1)",
    );
  });

  it("names the offending field as a storage error", () => {
    expect(storageError(() => parseHeadFile("{}"))).toBe("head file: version: missing field");
    expect(storageError(() => parseHeadFile('{"version":"1"}'))).toBe(
      "head file: version: expected u32, got string",
    );
    expect(storageError(() => parseHeadFile('{"version":1,"records":null}'))).toBe(
      "head file: records: expected array, got null",
    );
    expect(storageError(() => parseHeadFile('{"version":1,"records":[7]}'))).toBe(
      "head file: records[0]: expected object, got integer",
    );
    const bad = '{"version":1,"records":[{"stream_id":"s","segment_id":-1}]}';
    expect(storageError(() => parseHeadFile(bad))).toBe(
      "head file: records[0].segment_id: -1 is out of range for u64",
    );
    const missing = '{"version":1,"records":[{"stream_id":"s","segment_id":1,"seq_end":1}]}';
    expect(storageError(() => parseHeadFile(missing))).toBe(
      "head file: records[0].checkpoint_hash_hex: missing field",
    );
    expect(storageError(() => parseHeadFile("[]"))).toBe(
      "head file: value: expected object, got array",
    );
    expect(storageError(() => parseHeadFile("{"))).toBe(
      "head file: malformed JSON at position 1: expected a string key",
    );
  });
});

describe("parseRecordHash", () => {
  it("accepts 32 bytes of hex in either case", () => {
    expect(parseRecordHash(rec("s", 1n))).toBeInstanceOf(Uint8Array);
    const upper = parseRecordHash(rec("s", 1n, { checkpointHashHex: HASH.toUpperCase() }));
    expect(upper).toEqual(parseRecordHash(rec("s", 1n)));
  });

  it("returns a reason for '+1' pairs, odd lengths and 31 bytes", () => {
    const plus = "+1" + "00".repeat(31);
    for (const h of [plus, HASH.slice(1), "ab".repeat(31), "zz".repeat(32), "é".repeat(64)]) {
      expect(typeof parseRecordHash(rec("s", 1n, { checkpointHashHex: h }))).toBe("string");
    }
  });
});

describe("advanceHead", () => {
  it("appends new streams and replaces in place", () => {
    let hf = emptyHeadFile();
    hf = advanceHead(hf, rec("a", 1n)).file;
    hf = advanceHead(hf, rec("b", 2n)).file;
    const r = advanceHead(hf, rec("a", 3n));
    expect(r.moved).toBe(true);
    expect(r.file.records.map((x) => [x.streamId, x.segmentId])).toEqual([
      ["a", 3n],
      ["b", 2n],
    ]);
    // The input is not mutated.
    expect(hf.records[0]!.segmentId).toBe(1n);
  });

  it("never moves a stream's head back to an older segment (§10.6)", () => {
    const hf = advanceHead(emptyHeadFile(), rec("a", 5n)).file;
    const r = advanceHead(hf, rec("a", 4n, { checkpointHashHex: "00".repeat(32) }));
    expect(r.moved).toBe(false);
    expect(r.file).toBe(hf);
    expect(r.file.records[0]!.segmentId).toBe(5n);
  });

  it("refreshes the record when the same segment is signed again", () => {
    const hf = advanceHead(emptyHeadFile(), rec("a", 5n)).file;
    const later = rec("a", 5n, { updatedAtRfc3339: "2026-05-01T00:00:00+00:00" });
    const r = advanceHead(hf, later);
    expect(r.moved).toBe(true);
    expect(r.file.records).toEqual([later]);
  });
});

describe("MemoryHeadStorage", () => {
  it("starts empty and returns what was saved", async () => {
    const s = new MemoryHeadStorage();
    expect(await s.load()).toBeUndefined();
    await s.save("x");
    expect(await s.load()).toBe("x");
  });
});

describe("FsHeadStorage", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "heads-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads undefined when the file is missing", async () => {
    const s = FsHeadStorage.forStore(join(dir, "audit.db"));
    expect(s.path).toBe(join(dir, "audit.db.heads.json"));
    expect(await s.load()).toBeUndefined();
  });

  it("saves through the .tmp file and leaves none behind", async () => {
    const s = FsHeadStorage.forStore(join(dir, "audit.db"));
    const max = (1n << 64n) - 1n;
    const text = serializeHeadFile({ version: 1, records: [rec("ü", max, { seqEnd: max })] });
    await s.save(text);
    await s.save(text);
    expect(await readdir(dir)).toEqual(["audit.db.heads.json"]);
    expect(await readFile(s.path, "utf8")).toBe(text);
    expect(parseHeadFile(await s.load()).records[0]!.segmentId).toBe((1n << 64n) - 1n);
  });

  it("writes the .tmp first, so a failed write leaves the head file untouched", async () => {
    const s = FsHeadStorage.forStore(join(dir, "audit.db"));
    await s.save("old");
    // A directory where the temp file should go makes the first write fail.
    await mkdir(headTempPath(s.path));
    await expect(s.save("new")).rejects.toMatchObject({ payload: { tag: "storage" } });
    expect(await s.load()).toBe("old");
  });

  it("overwrites a stale .tmp left by a crash", async () => {
    const s = FsHeadStorage.forStore(join(dir, "audit.db"));
    await writeFile(headTempPath(s.path), "garbage from an earlier crash");
    await s.save(serializeHeadFile(emptyHeadFile()));
    expect(await readdir(dir)).toEqual(["audit.db.heads.json"]);
  });

  it("refuses invalid UTF-8 as a storage error", async () => {
    const s = FsHeadStorage.forStore(join(dir, "audit.db"));
    await writeFile(s.path, new Uint8Array([0x7b, 0xff, 0x7d]));
    await expect(s.load()).rejects.toMatchObject({ payload: { tag: "storage" } });
  });

  it("reports a missing directory as a storage error", async () => {
    const s = new FsHeadStorage(join(dir, "nope", "x.heads.json"));
    await expect(s.save("{}")).rejects.toMatchObject({ payload: { tag: "storage" } });
  });
});
