import { describe, expect, it } from "vitest";
import { CborWriter } from "../../src/core/cbor";
import { buildCheckpointFields } from "../../src/core/checkpoint-fields";
import { checkpointHash, encodeCheckpoint, entryHash } from "../../src/core/encoder";
import { SecureLogError } from "../../src/core/errors";
import { toHex } from "../../src/core/hex";
import { merkleRoot } from "../../src/core/merkle";
import {
  CHECKPOINT_VERSION,
  ZERO_HASH,
  type CheckpointFields,
  type SegmentInfo,
} from "../../src/core/model";
import { vectors, type CheckpointVector } from "../fixtures/vectors";

const { checkpoints, entries } = vectors;

function segmentOf(c: CheckpointVector): SegmentInfo {
  const f = c.fields;
  return {
    segmentId: f.segmentId,
    streamId: f.streamId,
    seqStart: f.seqStart,
    seqEnd: f.seqEnd,
    merkleRoot: f.merkleRoot,
    lastEntryHash: f.lastEntryHash,
    prevCheckpointHash: f.prevCheckpointHash,
    closedAtRfc3339: f.timestampRfc3339,
  };
}

function checkpointItem(f: CheckpointFields, name: string): Uint8Array {
  const w = new CborWriter();
  switch (name) {
    case "version":
      return w.uint(f.version).finish();
    case "stream_id":
      return w.text(f.streamId).finish();
    case "segment_id":
      return w.uint(f.segmentId).finish();
    case "seq_start":
      return w.uint(f.seqStart).finish();
    case "seq_end":
      return w.uint(f.seqEnd).finish();
    case "merkle_root":
      return w.bytes(f.merkleRoot).finish();
    case "last_entry_hash":
      return w.bytes(f.lastEntryHash).finish();
    case "prev_checkpoint_hash":
      return w.bytes(f.prevCheckpointHash).finish();
    case "boot_id":
      return w.text(f.bootId).finish();
    case "session_id":
      return w.text(f.sessionId).finish();
    case "policy_hash":
      return w.bytes(f.policyHash).finish();
    case "timestamp_rfc3339":
      return w.text(f.timestampRfc3339).finish();
  }
  throw new Error(`unknown checkpoint item ${name}`);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof SecureLogError) return e.code;
    throw e;
  }
  return undefined;
}

const cases = checkpoints.map((c) => [c.segmentId, c] as const);

describe("checkpoint vectors (FORMAT §6.1)", () => {
  it("the subset holds 2 chained segments", () => {
    expect(checkpoints.length).toBe(2);
  });

  it.each(cases)("segment %s: build_fields, bytes and hash", async (_, c) => {
    const last = entries[c.entryIndices[c.entryIndices.length - 1]!]!.fields;
    const fields = buildCheckpointFields(
      segmentOf(c),
      c.fields.prevCheckpointHash,
      last.bootId,
      last.sessionId,
    );
    expect(fields).toEqual(c.fields);
    const encoded = encodeCheckpoint(fields);
    expect(encoded.length).toBe(c.encodedLen);
    expect(toHex(encoded)).toBe(toHex(c.encoded));
    expect(toHex(await checkpointHash(fields))).toBe(toHex(c.checkpointHash));
  });

  it.each(cases)("segment %s: every item", (_, c) => {
    expect(c.items.map((i) => i.name)).toEqual([
      "version",
      "stream_id",
      "segment_id",
      "seq_start",
      "seq_end",
      "merkle_root",
      "last_entry_hash",
      "prev_checkpoint_hash",
      "boot_id",
      "session_id",
      "policy_hash",
      "timestamp_rfc3339",
    ]);
    const parts: string[] = ["8c"];
    for (const item of c.items) {
      const bytes = checkpointItem(c.fields, item.name);
      expect(toHex(bytes), item.name).toBe(toHex(item.bytes));
      parts.push(toHex(bytes));
    }
    expect(parts.join("")).toBe(toHex(c.encoded));
  });

  it.each(cases)("segment %s: fields follow from the entry chain (FORMAT §5)", async (_, c) => {
    const members = c.entryIndices.map((i) => entries[i]!.fields);
    const hashes = await Promise.all(members.map(entryHash));
    expect(hashes.map(toHex)).toEqual(c.leaves.map(toHex));
    expect(toHex(await merkleRoot(hashes))).toBe(toHex(c.fields.merkleRoot));
    expect(toHex(c.fields.lastEntryHash)).toBe(toHex(hashes[hashes.length - 1]!));
    expect(c.fields.seqStart).toBe(members[0]!.seqno);
    expect(c.fields.seqEnd).toBe(members[members.length - 1]!.seqno);
    expect(c.fields.bootId).toBe(members[members.length - 1]!.bootId);
    expect(c.fields.sessionId).toBe(members[members.length - 1]!.sessionId);
    expect(toHex(c.fields.policyHash)).toBe(toHex(ZERO_HASH));
  });

  it("chaining: segment 1's prev is ZERO_HASH, segment 2's prev is segment 1's hash", async () => {
    const [first, second] = checkpoints as [CheckpointVector, CheckpointVector];
    expect(toHex(first.fields.prevCheckpointHash)).toBe(toHex(ZERO_HASH));
    const firstHash = await checkpointHash(first.fields);
    expect(toHex(second.fields.prevCheckpointHash)).toBe(toHex(firstHash));
  });
});

describe("buildCheckpointFields", () => {
  const c = checkpoints[0]!;

  it("uses CHECKPOINT_VERSION, the close time and a fresh ZERO_HASH policy by default", () => {
    const fields = buildCheckpointFields(segmentOf(c), ZERO_HASH, "b", "s");
    expect(fields.version).toBe(CHECKPOINT_VERSION);
    expect(fields.timestampRfc3339).toBe(c.fields.timestampRfc3339);
    expect(toHex(fields.policyHash)).toBe(toHex(ZERO_HASH));
    expect(fields.policyHash).not.toBe(ZERO_HASH);
  });

  it("passes an explicit policy hash through", () => {
    const policy = new Uint8Array(32).fill(9);
    expect(buildCheckpointFields(segmentOf(c), ZERO_HASH, "b", "s", policy).policyHash).toBe(
      policy,
    );
  });

  it("takes prev from its argument, not the segment's stored column", () => {
    const prev = new Uint8Array(32).fill(1);
    const segment = { ...segmentOf(c), prevCheckpointHash: new Uint8Array(32).fill(2) };
    expect(buildCheckpointFields(segment, prev, "b", "s").prevCheckpointHash).toBe(prev);
  });

  it("writes boot before session (the reverse of an entry)", () => {
    const fields = buildCheckpointFields(segmentOf(c), ZERO_HASH, "BOOT", "SESS");
    const hex = toHex(encodeCheckpoint(fields));
    const boot = toHex(new CborWriter().text("BOOT").finish());
    const sess = toHex(new CborWriter().text("SESS").finish());
    expect(hex.indexOf(boot)).toBeGreaterThan(0);
    expect(hex.indexOf(boot)).toBeLessThan(hex.indexOf(sess));
  });
});

describe("encodeCheckpoint range checks", () => {
  const f = checkpoints[0]!.fields;

  it("u64 fields outside 0..2^64-1 throw code encoding", () => {
    expect(codeOf(() => encodeCheckpoint({ ...f, segmentId: 2n ** 64n }))).toBe("encoding");
    expect(codeOf(() => encodeCheckpoint({ ...f, seqStart: -1n }))).toBe("encoding");
    expect(codeOf(() => encodeCheckpoint({ ...f, seqEnd: 2n ** 64n }))).toBe("encoding");
  });

  it("version must be a u32", () => {
    expect(codeOf(() => encodeCheckpoint({ ...f, version: 2 ** 32 }))).toBe("encoding");
    expect(codeOf(() => encodeCheckpoint({ ...f, version: 0.5 }))).toBe("encoding");
  });

  it("u64 maximum values encode with the 8-byte header", () => {
    const max = (1n << 64n) - 1n;
    const hex = toHex(encodeCheckpoint({ ...f, segmentId: max, seqStart: max, seqEnd: max }));
    expect(hex).toContain("1bffffffffffffffff".repeat(3));
  });
});
