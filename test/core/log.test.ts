import { describe, expect, it } from "vitest";
import { entryHash } from "../../src/core/encoder";
import { toHex } from "../../src/core/hex";
import { SecureLog } from "../../src/core/log";
import { SEVERITIES, U64_MAX, ZERO_HASH, type Severity } from "../../src/core/model";
import type { SignatureAlgorithm } from "../../src/core/signer";
import { MemoryStore } from "../../src/stores/memory-store";
import { failure, openTestLog, utf8 } from "../fixtures/log-setup";

describe("open", () => {
  it("refuses an empty config and reports store failures as storage errors", async () => {
    const log = new SecureLog({ store: new MemoryStore() });
    expect(await failure(() => log.open(""))).toMatchObject({ tag: "invalid" });
    expect(await failure(() => log.head("default"))).toEqual({
      tag: "storage",
      val: "read head: store not initialised: call init first",
    });
  });

  it("refuses a master key that is not 32 bytes", () => {
    expect(
      () => new SecureLog({ store: new MemoryStore(), masterKey: new Uint8Array(31) }),
    ).toThrow(/32 bytes/);
  });
});

describe("append and read", () => {
  it("assigns global seqnos from 1 and chains each stream separately", async () => {
    const { log } = await openTestLog();
    const a1 = await log.append("a", "e", "info", "p", utf8("1"));
    const b1 = await log.append("b", "e", "info", "p", utf8("2"));
    const a2 = await log.append("a", "e", "info", "p", utf8("3"));
    expect([a1.seqno, b1.seqno, a2.seqno]).toEqual([1n, 2n, 3n]);
    const first = await log.read(1n);
    expect(first.prevEntryHash).toEqual(ZERO_HASH);
    expect((await log.read(2n)).prevEntryHash).toEqual(ZERO_HASH);
    expect((await log.read(3n)).prevEntryHash).toEqual(a1.entryHash);
    expect(await entryHash(first)).toEqual(a1.entryHash);
    expect(first).toMatchObject({
      version: 1,
      streamId: "a",
      sessionId: "sess-test",
      bootId: "boot-test",
      payloadEncoding: "cbor",
    });
    expect(first.timestampRfc3339).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+00:00$/);
    expect(await log.head("a")).toBe(3n);
    expect(await log.head("nobody")).toBeUndefined();
  });

  it("stores every severity, a custom encoding tag, and payloads from 0 bytes to 64 KiB", async () => {
    const { log } = await openTestLog();
    for (const [i, severity] of SEVERITIES.entries()) {
      const payload = new Uint8Array(i === 0 ? 0 : 8192 * i).fill(i);
      const { seqno } = await log.appendWithEncoding("s", severity, severity, "p", payload, "raw");
      const entry = await log.read(seqno);
      expect(entry.severity).toBe(severity);
      expect(entry.payload).toEqual(payload);
      expect(entry.payloadEncoding).toBe("raw");
    }
    await log.verifyChain("s", 1n, 8n);
  });

  it("names the problem for bad input", async () => {
    const { log } = await openTestLog();
    const bad = await failure(() => log.append("s", "e", "INFO" as Severity, "p", utf8("")));
    expect(bad).toEqual({
      tag: "invalid",
      val: 'unknown severity: "INFO" (expected one of emergency, alert, critical, error, warning, notice, info, debug)',
    });
    expect(await failure(() => log.append("", "e", "info", "p", utf8("")))).toMatchObject({
      tag: "invalid",
    });
    expect(await failure(() => log.read(99n))).toEqual({ tag: "entry-not-found", val: 99n });
  });

  it("carries seqno 2^64-1 end to end and refuses to go past it", async () => {
    const { log, store } = await openTestLog();
    await log.append("s", "e", "info", "p", utf8("x"));
    // Jump the global head to 2^64 - 2 by renumbering the only row.
    const t = store.rawTables();
    const row = t.entries.get(1n)!;
    t.entries.delete(1n);
    t.entries.set(U64_MAX - 1n, { ...row, seqno: U64_MAX - 1n });
    const top = await log.append("t", "e", "info", "p", utf8("top"));
    expect(top.seqno).toBe(U64_MAX);
    const back = await log.read(U64_MAX);
    expect(back.seqno).toBe(U64_MAX);
    expect(await entryHash(back)).toEqual(top.entryHash);
    await log.verifyChain("t", U64_MAX, U64_MAX);
    expect(await failure(() => log.append("t", "e", "info", "p", utf8("over")))).toMatchObject({
      tag: "encoding",
    });
  });
});

describe("verify-chain", () => {
  it("verifies whole and partial ranges, across other streams' seqnos", async () => {
    const { log } = await openTestLog();
    for (let i = 0; i < 300; i++)
      await log.append(i % 3 === 0 ? "b" : "a", "e", "info", "p", utf8(`${i}`));
    await log.verifyChain("a", 1n, 300n);
    await log.verifyChain("a", 150n, 151n); // predecessor found by looking back
    await log.verifyChain("b", 0n, 1000n);
    expect(await failure(() => log.verifyChain("a", 5n, 4n))).toEqual({
      tag: "invalid",
      val: "verify_chain: from (5) > to (4)",
    });
    expect(await failure(() => log.verifyChain("zzz", 1n, 10n))).toEqual({
      tag: "stream-not-found",
      val: "zzz",
    });
  });
});

describe("segments and proofs", () => {
  it("seals, proves every entry, and refuses empty segments", async () => {
    const { log } = await openTestLog();
    expect(await failure(() => log.closeSegment("a"))).toEqual({ tag: "empty-segment", val: "a" });
    for (let i = 0; i < 7; i++) await log.append(i % 2 ? "a" : "b", "e", "info", "p", utf8(`${i}`));
    const b = await log.closeSegment("b"); // seqnos 1,3,5,7
    const a = await log.closeSegment("a"); // seqnos 2,4,6
    expect([b.segmentId, a.segmentId]).toEqual([1n, 2n]);
    expect([b.seqStart, b.seqEnd, a.seqStart, a.seqEnd]).toEqual([1n, 7n, 2n, 6n]);
    expect(b.prevCheckpointHash).toEqual(ZERO_HASH);
    expect(await failure(() => log.closeSegment("a"))).toEqual({ tag: "empty-segment", val: "a" });
    await log.append("a", "e", "info", "p", utf8("8"));
    const a2 = await log.closeSegment("a");
    expect(a2.segmentId).toBe(3n);
    expect(a2.seqStart).toBe(8n);
    expect(toHex(a2.prevCheckpointHash)).not.toBe(toHex(ZERO_HASH));
    expect((await log.listSegments("a")).map((s) => s.segmentId)).toEqual([2n, 3n]);
    expect((await log.readSegment(1n)).streamId).toBe("b");
    expect(await failure(() => log.readSegment(9n))).toEqual({ tag: "segment-not-found", val: 9n });

    for (let seqno = 1n; seqno <= 8n; seqno++) {
      const proof = await log.buildInclusionProof(seqno);
      const segment = await log.readSegment(proof.segmentId);
      expect(proof.merkleRoot).toEqual(segment.merkleRoot);
      await log.verifyInclusionProof(proof, segment.merkleRoot);
      const wrongRoot = new Uint8Array(32).fill(7);
      expect(await failure(() => log.verifyInclusionProof(proof, wrongRoot))).toEqual({
        tag: "inclusion-mismatch",
        val: { seqno, segmentId: proof.segmentId },
      });
    }
    expect(await log.verifySegments("a")).toBe(2);
  });

  it("explains why a proof cannot be built or checked", async () => {
    const { log } = await openTestLog();
    await log.append("a", "e", "info", "p", utf8("x"));
    expect(await failure(() => log.buildInclusionProof(1n))).toMatchObject({
      tag: "invalid",
      val: expect.stringContaining("not in a closed segment"),
    });
    expect(await failure(() => log.buildInclusionProof(2n))).toEqual({
      tag: "entry-not-found",
      val: 2n,
    });
    const segment = await log.closeSegment("a");
    const proof = await log.buildInclusionProof(1n);
    expect(await failure(() => log.verifyInclusionProof(proof, new Uint8Array(31)))).toMatchObject({
      tag: "invalid",
      val: "expected root must be 32 bytes, got 31",
    });
    const shortLeaf = { ...proof, entryHash: new Uint8Array(16) };
    expect(
      await failure(() => log.verifyInclusionProof(shortLeaf, segment.merkleRoot)),
    ).toMatchObject({
      tag: "invalid",
    });
  });
});

describe.each<SignatureAlgorithm>(["ed25519", "ecdsa-p256", "rsa-pss-sha256"])(
  "checkpoint signing with %s",
  (algorithm) => {
    it("signs, verifies one segment and walks the chain", async () => {
      const { log, heads } = await openTestLog(algorithm);
      const signed: bigint[] = [];
      for (let round = 0; round < 3; round++) {
        await log.append("a", "e", "info", "p", utf8(`a${round}`));
        await log.append("b", "e", "info", "p", utf8(`b${round}`));
        const seg = await log.closeSegment("a");
        await log.closeSegment("b");
        const [hash, signature] = await log.signSegment("node-key", seg.segmentId);
        expect(hash).toHaveLength(32);
        expect(signature.length).toBeGreaterThan(0);
        expect(await log.verifySegmentSignature(seg.segmentId)).toEqual(hash);
        signed.push(seg.segmentId);
      }
      expect(await log.verifyCheckpointChain("a")).toBe(3);
      expect(await log.checkRollback("a")).toBe(true);
      expect(await log.checkRollback("b")).toBe(false);
      expect(heads.text).toContain(`"segment_id": ${signed.at(-1)}`);
      expect((await log.readSegment(signed[0]!)).signerIdentity).toBe("node-key");
      expect(await failure(() => log.signSegment("node-key", signed[0]!))).toMatchObject({
        tag: "invalid",
        val: expect.stringContaining("already signed"),
      });
      expect(await failure(() => log.verifyCheckpointChain("b"))).toMatchObject({
        tag: "invalid",
        val: expect.stringContaining("is not signed"),
      });
    });
  },
);

describe("keystore failures", () => {
  it("reports an unknown key label as invalid input naming the key", async () => {
    const { NodeSigner } = await import("../fixtures/node-signer");
    const log = new SecureLog({
      store: new MemoryStore(),
      signer: new NodeSigner({ labels: ["k"] }),
    });
    await log.open(":memory:");
    await log.append("a", "e", "info", "p", utf8("x"));
    const seg = await log.closeSegment("a");
    expect(await failure(() => log.signSegment("other", seg.segmentId))).toEqual({
      tag: "invalid",
      val: "keystore cannot provide key 'other': key-not-found: other",
    });
    const unsigned = new SecureLog({ store: new MemoryStore() });
    await unsigned.open(":memory:");
    expect(await failure(() => unsigned.signSegment("k", 1n))).toEqual({
      tag: "segment-not-found",
      val: 1n,
    });
  });
});

describe("streams", () => {
  it("creates, lists, deprecates, and refuses appends to deprecated streams", async () => {
    const { log } = await openTestLog();
    await log.createStream("audit", "Protected", "who did what");
    await log.createStream("audit", "protected", "who did what"); // idempotent
    await log.append("lazy", "e", "info", "p", utf8("x")); // created on first append
    const list = await log.listStreams();
    expect(list.map((s) => [s.name, s.tier, s.description])).toEqual([
      ["audit", "protected", "who did what"],
      ["default", "public", "Default stream created automatically at init."],
      ["lazy", "public", undefined],
    ]);
    await log.append("audit", "e", "info", "p", utf8("x"));
    expect(await failure(() => log.createStream("audit", "public", undefined))).toMatchObject({
      tag: "invalid",
      val: expect.stringContaining("would make its sealed payloads unreadable"),
    });
    expect(await failure(() => log.createStream("x", "secret", undefined))).toEqual({
      tag: "invalid",
      val: "unknown confidentiality tier: 'secret' (expected: public, protected, highly-restricted)",
    });
    await log.deprecateStream("audit");
    const deprecated = (await log.listStreams()).find((s) => s.name === "audit")!;
    expect(typeof deprecated.deprecatedAt).toBe("bigint");
    const refused = await failure(() => log.append("audit", "e", "info", "p", utf8("y")));
    expect(refused).toMatchObject({
      tag: "invalid",
      val: expect.stringMatching(
        /^stream 'audit' is deprecated and no longer accepts new entries \(deprecated .+\)$/,
      ),
    });
    await log.verifyChain("audit", 1n, 10n); // still verifiable
    expect(await failure(() => log.deprecateStream("ghost"))).toEqual({
      tag: "stream-not-found",
      val: "ghost",
    });
  });
});

describe("sealed payloads", () => {
  it("opens what it sealed, hides metadata on highly-restricted streams", async () => {
    const { log } = await openTestLog();
    await log.createStream("secret", "highly-restricted", undefined);
    const { seqno } = await log.appendSealed("secret", "login", "notice", "sshd", utf8("alice"));
    const entry = await log.read(seqno);
    expect(entry.payloadEncoding).toBe("cbor+aead-chacha20poly1305-v2");
    expect(entry.eventType).toMatch(/^min:[0-9a-f]{16}$/);
    expect(entry.producer).toMatch(/^min:[0-9a-f]{16}$/);
    expect(entry.payload).toHaveLength(5 + 28);
    expect(await log.openPayload(seqno)).toEqual(utf8("alice"));
    const plain = await log.append("secret", "e", "info", "p", utf8("clear"));
    expect(await log.openPayload(plain.seqno)).toEqual(utf8("clear"));
    await log.verifyChain("secret", 1n, 2n);
  });

  it("refuses without a master key", async () => {
    const log = new SecureLog({ store: new MemoryStore() });
    await log.open(":memory:");
    expect(await failure(() => log.appendSealed("s", "e", "info", "p", utf8("x")))).toEqual({
      tag: "invalid",
      val: "no payload master key is configured",
    });
  });
});
