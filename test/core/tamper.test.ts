// Every edit an attacker with write access to the store could make, one at a
// time on a fresh log: the matching verification fails with the right variant
// and names the place; the untouched log verifies.

import { beforeEach, describe, expect, it } from "vitest";
import { NodeSigner } from "../fixtures/node-signer";
import type { LogError } from "../../src/core/errors";
import type { SecureLogRow, SecureLogSegmentRow } from "../../src/core/store";
import { failure, openTestLog, utf8, type TestLog } from "../fixtures/log-setup";

// Stream "a" gets seqnos 1,3,5,7 (segment 1) and 9,11 (segment 3); "b" the even
// ones (segments 2 and 4). Every segment is signed.
async function buildLog(): Promise<TestLog> {
  const t = await openTestLog();
  for (let i = 1; i <= 12; i++) {
    const stream = i % 2 ? "a" : "b";
    if (stream === "a") await t.log.appendSealed("a", "op", "notice", "svc", utf8(`secret ${i}`));
    else await t.log.append("b", "op", "info", "svc", utf8(`entry ${i}`));
    if (i === 8) {
      await t.log.closeSegment("a");
      await t.log.closeSegment("b");
    }
  }
  await t.log.closeSegment("a");
  await t.log.closeSegment("b");
  for (const id of [1n, 2n, 3n, 4n]) await t.log.signSegment("node-key", id);
  return t;
}

async function verifyAll(t: TestLog, stream: string): Promise<void> {
  await t.log.verifyChain(stream, 1n, 1000n);
  await t.log.verifySegments(stream);
  await t.log.verifyCheckpointChain(stream);
  await t.log.checkRollback(stream);
}

const flip = (bytes: Uint8Array): Uint8Array => {
  const out = bytes.slice();
  out[out.length >> 1]! ^= 0x01;
  return out;
};

type EntryEdit = (row: SecureLogRow) => SecureLogRow;
const entryEdits: Record<string, EntryEdit> = {
  streamId: (r) => ({ ...r, streamId: r.streamId }), // replaced below: moving a row is its own case
  sessionId: (r) => ({ ...r, sessionId: r.sessionId + "x" }),
  bootId: (r) => ({ ...r, bootId: "boot-forged" }),
  timestampRfc3339: (r) => ({ ...r, timestampRfc3339: "2020-01-01T00:00:00+00:00" }),
  eventType: (r) => ({ ...r, eventType: "op2" }),
  severity: (r) => ({ ...r, severity: r.severity === "debug" ? "info" : "debug" }),
  producer: (r) => ({ ...r, producer: "mallory" }),
  payloadEncoding: (r) => ({ ...r, payloadEncoding: "cbor" }),
  payload: (r) => ({ ...r, payload: flip(r.payload) }),
  payloadTruncated: (r) => ({ ...r, payload: r.payload.slice(0, -1) }),
  prevEntryHash: (r) => ({ ...r, prevEntryHash: flip(r.prevEntryHash) }),
  entryHash: (r) => ({ ...r, entryHash: flip(r.entryHash) }),
};
delete entryEdits.streamId;

describe("tamper detection", () => {
  let t: TestLog;
  beforeEach(async () => {
    t = await buildLog();
  });

  it("verifies the untouched log", async () => {
    for (const stream of ["a", "b"]) await verifyAll(t, stream);
    expect(await t.log.verifyCheckpointChain("a")).toBe(2);
  });

  describe.each(Object.keys(entryEdits))("an edited entry field: %s", (field) => {
    it.each([1n, 5n, 9n, 11n])("at seqno %s is named by verify-chain", async (seqno) => {
      const rows = t.store.rawTables().entries;
      rows.set(seqno, entryEdits[field]!(rows.get(seqno)!));
      const err = await failure(() => t.log.verifyChain("a", 1n, 1000n));
      // An edited entry_hash also breaks the next link; the first broken place is this one.
      expect(err).toMatchObject({ tag: "chain-broken", val: { seqno } });
    });
  });

  it("a deleted row breaks the next link", async () => {
    t.store.rawTables().entries.delete(5n);
    expect(await failure(() => t.log.verifyChain("a", 1n, 1000n))).toMatchObject({
      tag: "chain-broken",
      val: { seqno: 7n, reason: expect.stringContaining("prev_entry_hash mismatch") },
    });
  });

  it("a deleted last row of a segment is caught by the segment audit", async () => {
    t.store.rawTables().entries.delete(11n);
    await t.log.verifyChain("a", 1n, 1000n); // the shorter chain is self-consistent
    expect(await failure(() => t.log.verifySegments("a"))).toEqual({
      tag: "entry-not-found",
      val: 11n,
    });
    expect(await failure(() => t.log.verifyCheckpointChain("a"))).toEqual({
      tag: "entry-not-found",
      val: 11n,
    });
  });

  it("two reordered rows are named at the first of them", async () => {
    const rows = t.store.rawTables().entries;
    const [r3, r5] = [rows.get(3n)!, rows.get(5n)!];
    rows.set(3n, r5);
    rows.set(5n, r3);
    expect(await failure(() => t.log.verifyChain("a", 1n, 1000n))).toMatchObject({
      tag: "chain-broken",
      val: { seqno: 3n },
    });
  });

  it("a forged row inserted in the middle is caught", async () => {
    // Replace b's seqno 4 with a self-consistent forged "a" row linked to seqno 3.
    const rows = t.store.rawTables().entries;
    const three = rows.get(3n)!;
    const { entryHash } = await import("../../src/core/encoder");
    const { rowToEntry } = await import("../../src/core/rows");
    const forged: SecureLogRow = { ...three, seqno: 4n, prevEntryHash: three.entryHash };
    forged.entryHash = await entryHash(rowToEntry(forged));
    rows.set(4n, forged);
    expect(await failure(() => t.log.verifyChain("a", 1n, 1000n))).toMatchObject({
      tag: "chain-broken",
      val: { seqno: 5n },
    });
    // Re-linking the rest of the chain around it is still caught by the sealed segment.
    expect(await failure(() => t.log.verifySegments("a"))).toMatchObject({
      tag: "chain-broken",
      val: { seqno: 4n, reason: expect.stringContaining("not a member of segment 1") },
    });
  });

  it("a row moved to another stream is caught in both streams", async () => {
    const rows = t.store.rawTables().entries;
    rows.set(5n, { ...rows.get(5n)!, streamId: "b" });
    expect(await failure(() => t.log.verifyChain("a", 1n, 1000n))).toMatchObject({
      tag: "chain-broken",
      val: { seqno: 7n },
    });
    expect(await failure(() => t.log.verifyChain("b", 1n, 1000n))).toMatchObject({
      tag: "chain-broken",
      val: { seqno: 5n },
    });
  });

  type SegmentEdit = (s: SecureLogSegmentRow) => SecureLogSegmentRow;
  const segmentEdits: Record<string, [SegmentEdit, LogError["tag"]]> = {
    seqStart: [(s) => ({ ...s, seqStart: s.seqStart + 2n }), "chain-broken"],
    seqEnd: [(s) => ({ ...s, seqEnd: s.seqEnd - 2n }), "chain-broken"],
    merkleRoot: [(s) => ({ ...s, merkleRoot: flip(s.merkleRoot) }), "chain-broken"],
    lastEntryHash: [(s) => ({ ...s, lastEntryHash: flip(s.lastEntryHash) }), "chain-broken"],
    prevCheckpointHash: [
      (s) => ({ ...s, prevCheckpointHash: flip(s.prevCheckpointHash) }),
      "chain-broken",
    ],
    closedAtRfc3339: [
      (s) => ({ ...s, closedAtRfc3339: "2020-01-01T00:00:00+00:00" }),
      "chain-broken",
    ],
    signature: [(s) => ({ ...s, signature: flip(s.signature!) }), "chain-broken"],
  };

  describe.each(Object.keys(segmentEdits))("an edited segment field: %s", (field) => {
    it.each([1n, 3n])("in segment %s fails verify-checkpoint-chain naming it", async (id) => {
      const [edit, tag] = segmentEdits[field]!;
      const segs = t.store.rawTables().segments;
      const before = segs.get(id)!;
      segs.set(id, edit(before));
      const err = await failure(() => t.log.verifyCheckpointChain("a"));
      expect(err.tag).toBe(tag);
      const text = JSON.stringify(err, (_, v) => (typeof v === "bigint" ? v.toString() : v));
      // Named by segment id in the reason, or by a seqno of that segment.
      const seqnos = [before.seqEnd, before.seqEnd - 2n].map(String);
      expect(
        text.includes(`segment ${id}`) || seqnos.some((s) => text.includes(`"seqno":"${s}"`)),
      ).toBe(true);
    });
  });

  it("a segment moved to another stream is caught in both streams", async () => {
    const segs = t.store.rawTables().segments;
    segs.set(1n, { ...segs.get(1n)!, streamId: "b" });
    expect(await failure(() => t.log.verifyCheckpointChain("a"))).toMatchObject({
      tag: "chain-broken",
      val: { reason: expect.stringContaining("segment 3 prev_checkpoint_hash drift") },
    });
    expect(await failure(() => t.log.verifyCheckpointChain("b"))).toMatchObject({
      tag: "chain-broken",
      val: { seqno: 7n, reason: "segment 1: checkpoint signature does not verify" },
    });
    segs.set(1n, { ...segs.get(1n)!, streamId: "a" });
    segs.set(3n, { ...segs.get(3n)!, streamId: "b" });
    expect(await failure(() => t.log.checkRollback("a"))).toMatchObject({
      tag: "chain-broken",
      val: { reason: expect.stringContaining("rollback detected") },
    });
  });

  it("a segment whose seq_end was lowered is never sealed twice", async () => {
    await t.log.append("a", "op", "info", "svc", utf8("new"));
    const segs = t.store.rawTables().segments;
    segs.set(3n, { ...segs.get(3n)!, seqEnd: 9n });
    expect(await failure(() => t.log.closeSegment("a"))).toEqual({
      tag: "segment-already-closed",
      val: 3n,
    });
  });

  it("a segment's merkle root edit is also caught by the proof of every entry in it", async () => {
    const segs = t.store.rawTables().segments;
    segs.set(1n, { ...segs.get(1n)!, merkleRoot: flip(segs.get(1n)!.merkleRoot) });
    const stored = (await t.log.readSegment(1n)).merkleRoot;
    for (const seqno of [1n, 3n, 5n, 7n]) {
      const proof = await t.log.buildInclusionProof(seqno);
      expect(await failure(() => t.log.verifyInclusionProof(proof, stored))).toEqual({
        tag: "inclusion-mismatch",
        val: { seqno, segmentId: 1n },
      });
    }
  });

  it("a dropped signature fails the chain walk and the rollback check", async () => {
    const segs = t.store.rawTables().segments;
    segs.set(3n, { ...segs.get(3n)!, signature: undefined });
    expect(await failure(() => t.log.verifyCheckpointChain("a"))).toEqual({
      tag: "invalid",
      val: "segment 3 is not signed",
    });
    expect(await failure(() => t.log.checkRollback("a"))).toEqual({
      tag: "invalid",
      val: "segment 3 is not signed",
    });
  });

  it("a signature made by another key is refused", async () => {
    const other = new NodeSigner({ algorithm: "ed25519" });
    const segs = t.store.rawTables().segments;
    const link = await t.log.verifySegmentSignature(3n);
    const forged = await other.getKey("node-key").sign(link);
    segs.set(3n, { ...segs.get(3n)!, signature: forged });
    expect(await failure(() => t.log.verifySegmentSignature(3n))).toEqual({
      tag: "chain-broken",
      val: { seqno: 11n, reason: "segment 3: checkpoint signature does not verify" },
    });
  });

  it("a deleted segment breaks the chain; a deleted last segment is a rollback", async () => {
    const segs = t.store.rawTables().segments;
    const first = segs.get(1n)!;
    segs.delete(1n);
    expect(await failure(() => t.log.verifyCheckpointChain("a"))).toMatchObject({
      tag: "chain-broken",
      val: { seqno: 11n, reason: expect.stringContaining("segment 3 prev_checkpoint_hash drift") },
    });
    segs.set(1n, first);
    segs.delete(3n);
    await t.log.verifyCheckpointChain("a"); // what is left is consistent…
    expect(await failure(() => t.log.checkRollback("a"))).toEqual({
      tag: "chain-broken",
      val: {
        seqno: 11n,
        reason: "rollback detected: head file records segment 3 but database only has up to 1",
      },
    });
  });

  it("two swapped sealed payloads fail both verify-chain and payload open", async () => {
    expect(new TextDecoder().decode(await t.log.openPayload(3n))).toBe("secret 3");
    const rows = t.store.rawTables().entries;
    const [p3, p5] = [rows.get(3n)!.payload, rows.get(5n)!.payload];
    rows.set(3n, { ...rows.get(3n)!, payload: p5 });
    rows.set(5n, { ...rows.get(5n)!, payload: p3 });
    expect(await failure(() => t.log.verifyChain("a", 1n, 1000n))).toMatchObject({
      tag: "chain-broken",
      val: { seqno: 3n },
    });
    for (const seqno of [3n, 5n]) {
      expect(await failure(() => t.log.openPayload(seqno))).toEqual({
        tag: "encoding",
        val: "aead open failed: authentication tag mismatch",
      });
    }
  });

  it("a sealed payload cut short does not open", async () => {
    const rows = t.store.rawTables().entries;
    rows.set(1n, { ...rows.get(1n)!, payload: rows.get(1n)!.payload.slice(0, 20) });
    expect(await failure(() => t.log.openPayload(1n))).toEqual({
      tag: "encoding",
      val: "sealed payload too short: 20 bytes",
    });
  });

  it("a head file edited to point elsewhere is caught", async () => {
    t.heads.text = t.heads.text!.replace(
      /"checkpoint_hash_hex": "([0-9a-f])/,
      (_, c: string) => `"checkpoint_hash_hex": "${c === "0" ? "1" : "0"}`,
    );
    expect(await failure(() => t.log.checkRollback("a"))).toMatchObject({
      tag: "chain-broken",
      val: { reason: expect.stringContaining("different checkpoint hash than head file records") },
    });
  });
});
