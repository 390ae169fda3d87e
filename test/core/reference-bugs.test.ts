// FORMAT §10 items 3, 5, 6 and 7: the reference's behaviour, shown to fail
// here, next to ours, which does not.

import { describe, expect, it } from "vitest";
import { parseHeadFile, serializeHeadFile } from "../../src/core/head-file";
import { toHex } from "../../src/core/hex";
import {
  AEAD_NAME_V1,
  aadV1,
  deriveSegmentKey,
  deriveStreamKey,
  sealPayload,
} from "../../src/core/sealing";
import { SecureLog } from "../../src/core/log";
import { parseSubmission, serializeSubmission } from "../../src/core/witness";
import { checkReceipt } from "../../src/core/witnessing";
import { MemoryStore } from "../../src/stores/memory-store";
import { failure, MASTER_KEY, openTestLog, utf8 } from "../fixtures/log-setup";

describe("§10.3 a sealed payload always opens, whatever other streams do", () => {
  it("the reference's segment guess breaks once another stream closes first; v2 does not", async () => {
    const { log, store } = await openTestLog();
    await log.append("other", "e", "info", "p", utf8("o1"));

    // The reference's append_encrypted: key and AAD from (this stream's highest segment id + 1).
    const guess = ((await store.secureLogSegmentsList("mine")).at(-1)?.segmentId ?? 0n) + 1n;
    const key = await deriveSegmentKey(await deriveStreamKey(MASTER_KEY, "mine", "public"), guess);
    const v1 = sealPayload(key, aadV1("mine", "public", guess), utf8("v1 secret"));
    const refEntry = await log.appendWithEncoding("mine", "e", "info", "p", v1, AEAD_NAME_V1);
    const ours = await log.appendSealed("mine", "e", "info", "p", utf8("v2 secret"));

    // Before any close, both open.
    expect(await log.openPayload(refEntry.seqno)).toEqual(utf8("v1 secret"));
    expect(await log.openPayload(ours.seqno)).toEqual(utf8("v2 secret"));

    await log.closeSegment("other"); // takes global segment id 1
    const mine = await log.closeSegment("mine"); // gets id 2, not the guessed 1
    expect([guess, mine.segmentId]).toEqual([1n, 2n]);

    expect(await failure(() => log.openPayload(refEntry.seqno))).toEqual({
      tag: "encoding",
      val: "aead open failed: authentication tag mismatch",
    });
    expect(await log.openPayload(ours.seqno)).toEqual(utf8("v2 secret"));
  });

  it("v2 payloads open across many interleaved closes", async () => {
    const { log } = await openTestLog();
    const sealed: bigint[] = [];
    for (let i = 0; i < 12; i++) {
      sealed.push((await log.appendSealed("mine", "e", "info", "p", utf8(`m${i}`))).seqno);
      await log.append(`s${i % 3}`, "e", "info", "p", utf8("x"));
      await log.closeSegment(`s${i % 3}`);
      if (i % 4 === 3) await log.closeSegment("mine");
    }
    for (const [i, seqno] of sealed.entries()) {
      expect(await log.openPayload(seqno)).toEqual(utf8(`m${i}`));
    }
  });
});

describe("§10.5 witness comparison", () => {
  async function signedLog() {
    const t = await openTestLog();
    for (let i = 0; i < 3; i++) {
      await t.log.append("a", "e", "info", "p", utf8(`${i}`));
      const seg = await t.log.closeSegment("a");
      await t.log.signSegment("node-key", seg.segmentId);
    }
    return t;
  }

  it("compares hex case-insensitively where the reference compares strings", async () => {
    const { log } = await signedLog();
    const sub = await log.buildWitnessSubmission("a");
    const remote = { ...sub, checkpointHashHex: sub.checkpointHashHex.toUpperCase() };
    expect(remote.checkpointHashHex === sub.checkpointHashHex).toBe(false); // the reference's test
    expect(await log.verifyAgainstWitness(remote)).toBe("current");
  });

  it("reports an older, correct checkpoint as an ancestor and a wrong one as divergence", async () => {
    const { log } = await signedLog();
    const latest = await log.buildWitnessSubmission("a");
    const older = { ...latest, segmentId: 1n, seqEnd: 1n };
    older.checkpointHashHex = toHex(await log.verifySegmentSignature(1n));
    expect(await log.verifyAgainstWitness(older)).toBe("ancestor");
    const wrong = { ...older, checkpointHashHex: "00".repeat(32) };
    expect(await failure(() => log.verifyAgainstWitness(wrong))).toMatchObject({
      tag: "chain-broken",
      val: {
        seqno: 1n,
        reason: expect.stringMatching(
          /^witness divergence at segment 1: remote=0{64} local=[0-9a-f]{64}$/,
        ),
      },
    });
    const bad = { ...older, checkpointHashHex: "+1".repeat(32) };
    expect(await failure(() => log.verifyAgainstWitness(bad))).toMatchObject({
      tag: "chain-broken",
    });
    expect(await failure(() => log.verifyAgainstWitness({ ...older, segmentId: 99n }))).toEqual({
      tag: "segment-not-found",
      val: 99n,
    });
  });

  it("a witness checks the signature, accepts once, and refuses a fork or a rollback", async () => {
    const node = await signedLog();
    const sub = parseSubmission(serializeSubmission(await node.log.buildWitnessSubmission("a")));

    const stranger = await openTestLog(); // its keystore holds other keys under the same label
    expect(await stranger.log.receiveWitnessSubmission(sub)).toMatchObject({
      accepted: false,
      reason: "checkpoint signature does not verify",
    });

    const witness = new SecureLog({ store: new MemoryStore(), signer: node.signer });
    await witness.open(":memory:");
    const receipt = await witness.receiveWitnessSubmission(sub);
    expect(receipt).toMatchObject({ accepted: true, reason: null, segmentId: 3n });
    checkReceipt(sub, receipt);
    const fork = { ...sub, checkpointHashHex: "11".repeat(32) };
    const forked = await witness.receiveWitnessSubmission(fork);
    expect(forked.reason).toMatch(/^fork: segment 3 was witnessed/);
    expect(() => checkReceipt(fork, forked)).toThrow(/witness refused segment 3/);
    const rollback = { ...sub, segmentId: 2n };
    expect((await witness.receiveWitnessSubmission(rollback)).reason).toBe(
      "segment 2 is older than witnessed segment 3",
    );
  });
});

describe("§10.6 the head never moves backwards", () => {
  it("signing an older segment after a newer one leaves the head on the newer", async () => {
    const { log, heads } = await openTestLog();
    await log.append("a", "e", "info", "p", utf8("1"));
    const s1 = await log.closeSegment("a");
    await log.append("a", "e", "info", "p", utf8("2"));
    const s2 = await log.closeSegment("a");
    await log.signSegment("k", s2.segmentId);
    await log.signSegment("k", s1.segmentId); // the reference would move the head to s1 here
    const record = parseHeadFile(heads.text).records.find((r) => r.streamId === "a")!;
    expect(record.segmentId).toBe(s2.segmentId);
    expect(await log.checkRollback("a")).toBe(true);
  });
});

describe("§10.7 hex in the head file is parsed strictly and never panics", () => {
  async function withRecordHash(hex: string) {
    const t = await openTestLog();
    await t.log.append("a", "e", "info", "p", utf8("1"));
    const seg = await t.log.closeSegment("a");
    const [hash] = await t.log.signSegment("k", seg.segmentId);
    const file = parseHeadFile(t.heads.text);
    file.records[0]!.checkpointHashHex = hex === "UPPER" ? toHex(hash).toUpperCase() : hex;
    t.heads.text = serializeHeadFile(file);
    return t;
  }

  it.each([
    ["odd length", "abc"],
    ["a '+' sign in a pair", "+1".repeat(32)],
    ["non-hex", "zz".repeat(32)],
    ["31 bytes", "ab".repeat(31)],
    ["non-ASCII", "é".repeat(64)],
  ])("%s is a storage error naming the stream", async (_, hex) => {
    const { log } = await withRecordHash(hex);
    expect(await failure(() => log.checkRollback("a"))).toMatchObject({
      tag: "storage",
      val: expect.stringContaining("head file record for 'a'"),
    });
  });

  it("uppercase hex is accepted", async () => {
    const { log } = await withRecordHash("UPPER");
    expect(await log.checkRollback("a")).toBe(true);
  });
});
