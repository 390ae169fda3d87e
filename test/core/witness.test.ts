import { describe, expect, it } from "vitest";
import { SecureLogError } from "../../src/core/errors";
import { parseHex } from "../../src/core/hex";
import {
  compareCheckpointHex,
  parseReceipt,
  parseSubmission,
  serializeReceipt,
  serializeSubmission,
  type WitnessReceipt,
  type WitnessSubmission,
} from "../../src/core/witness";

const MAX = (1n << 64n) - 1n;
const HASH = "5339dd1e" + "0a".repeat(28);

const sub: WitnessSubmission = {
  streamId: "default",
  segmentId: 4n,
  seqStart: 5n,
  seqEnd: 8n,
  checkpointHashHex: HASH,
  signatureHex: "deadbeef",
  signerIdentity: "ed25519:abc",
};

const receipt: WitnessReceipt = {
  streamId: "default",
  segmentId: 4n,
  checkpointHashHex: HASH,
  accepted: false,
  reason: "diverges",
  receivedAtRfc3339: "2026-04-10T00:00:00+00:00",
};

function invalid(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SecureLogError);
    const p = (e as SecureLogError).payload;
    expect(p.tag).toBe("invalid");
    return (p as { val: string }).val;
  }
  throw new Error("expected an error");
}

describe("serialize", () => {
  it("writes a submission compactly in serde field order", () => {
    expect(serializeSubmission(sub)).toBe(
      `{"stream_id":"default","segment_id":4,"seq_start":5,"seq_end":8,"checkpoint_hash_hex":"${HASH}","signature_hex":"deadbeef","signer_identity":"ed25519:abc"}`,
    );
  });

  it("writes a receipt, reason as a string or null", () => {
    expect(serializeReceipt(receipt)).toBe(
      `{"stream_id":"default","segment_id":4,"checkpoint_hash_hex":"${HASH}","accepted":false,"reason":"diverges","received_at_rfc3339":"2026-04-10T00:00:00+00:00"}`,
    );
    expect(serializeReceipt({ ...receipt, accepted: true, reason: null })).toBe(
      `{"stream_id":"default","segment_id":4,"checkpoint_hash_hex":"${HASH}","accepted":true,"reason":null,"received_at_rfc3339":"2026-04-10T00:00:00+00:00"}`,
    );
  });

  it("escapes strings as serde_json does", () => {
    expect(serializeSubmission({ ...sub, streamId: 'a"b\n' })).toContain('"stream_id":"a\\"b\\n"');
  });

  it("refuses values outside u64", () => {
    expect(invalid(() => serializeSubmission({ ...sub, seqEnd: MAX + 1n }))).toMatch(
      /seq_end out of u64 range/,
    );
    expect(invalid(() => serializeReceipt({ ...receipt, segmentId: -1n }))).toMatch(
      /segment_id out of u64 range/,
    );
  });
});

describe("round trips", () => {
  it("keeps u64 max exact", () => {
    const big = { ...sub, segmentId: MAX, seqStart: (1n << 53n) + 1n, seqEnd: MAX };
    const text = serializeSubmission(big);
    expect(text).toContain('"segment_id":18446744073709551615');
    expect(parseSubmission(text)).toEqual(big);
    const r = { ...receipt, segmentId: MAX, reason: null };
    expect(parseReceipt(serializeReceipt(r))).toEqual(r);
    expect(parseReceipt(serializeReceipt(receipt))).toEqual(receipt);
  });

  it("accepts whitespace, unknown keys, and a missing reason as null", () => {
    const text = ` { "x": [1], "stream_id": "s", "segment_id": 1, "checkpoint_hash_hex": "${HASH.toUpperCase()}",
      "accepted": true, "received_at_rfc3339": "t" } `;
    const r = parseReceipt(text);
    expect(r.reason).toBeNull();
    expect(r.checkpointHashHex).toBe(HASH.toUpperCase());
  });

  it("accepts an empty signature", () => {
    expect(parseSubmission(serializeSubmission({ ...sub, signatureHex: "" })).signatureHex).toBe(
      "",
    );
  });
});

describe("malformed input", () => {
  const base = JSON.parse(serializeSubmission(sub)) as Record<string, unknown>;
  const withField = (k: string, v: unknown) => JSON.stringify({ ...base, [k]: v });

  it("names the field with the wrong type", () => {
    expect(invalid(() => parseSubmission(withField("segment_id", "4")))).toBe(
      "witness submission: segment_id: expected u64, got string",
    );
    expect(invalid(() => parseSubmission(withField("stream_id", null)))).toBe(
      "witness submission: stream_id: expected string, got null",
    );
    expect(invalid(() => parseSubmission(withField("seq_start", -1)))).toBe(
      "witness submission: seq_start: -1 is out of range for u64",
    );
    const rest = { ...base };
    delete rest["signer_identity"];
    expect(invalid(() => parseSubmission(JSON.stringify(rest)))).toBe(
      "witness submission: signer_identity: missing field",
    );
    const r = JSON.parse(serializeReceipt(receipt)) as Record<string, unknown>;
    expect(invalid(() => parseReceipt(JSON.stringify({ ...r, accepted: "yes" })))).toBe(
      "witness receipt: accepted: expected boolean, got string",
    );
    expect(invalid(() => parseReceipt(JSON.stringify({ ...r, reason: 3 })))).toBe(
      "witness receipt: reason: expected string or null, got integer",
    );
  });

  it("checks hex strictly", () => {
    expect(invalid(() => parseSubmission(withField("checkpoint_hash_hex", HASH.slice(2))))).toBe(
      "witness submission: checkpoint_hash_hex: expected 32 bytes of hex, got 31",
    );
    expect(
      invalid(() => parseSubmission(withField("checkpoint_hash_hex", "+1" + HASH.slice(2)))),
    ).toMatch(/^witness submission: checkpoint_hash_hex: not a hex digit/);
    expect(invalid(() => parseSubmission(withField("signature_hex", "abc")))).toBe(
      "witness submission: signature_hex: odd-length hex string (3 characters)",
    );
    expect(invalid(() => parseSubmission(withField("signature_hex", "zz")))).toMatch(
      /signature_hex: not a hex digit/,
    );
    const r = JSON.parse(serializeReceipt(receipt)) as Record<string, unknown>;
    expect(
      invalid(() => parseReceipt(JSON.stringify({ ...r, checkpoint_hash_hex: "00" }))),
    ).toMatch(/^witness receipt: checkpoint_hash_hex: expected 32 bytes/);
  });

  it("reports broken JSON with its position", () => {
    expect(invalid(() => parseSubmission('{"stream_id":'))).toBe(
      "witness submission: malformed JSON at position 13: unexpected end of input",
    );
    expect(invalid(() => parseReceipt("[]"))).toBe(
      "witness receipt: value: expected object, got array",
    );
    expect(invalid(() => parseSubmission(withField("segment_id", 4.5)))).toMatch(/fractional/);
  });
});

describe("compareCheckpointHex", () => {
  const local = parseHex(HASH) as Uint8Array;

  it("matches regardless of case", () => {
    expect(compareCheckpointHex(HASH, local)).toBe(true);
    expect(compareCheckpointHex(HASH.toUpperCase(), local)).toBe(true);
  });

  it("does not match other hashes or malformed hex", () => {
    expect(compareCheckpointHex("00".repeat(32), local)).toBe(false);
    expect(compareCheckpointHex(HASH.slice(1), local)).toBe(false);
    expect(compareCheckpointHex("+" + HASH.slice(1), local)).toBe(false);
    expect(compareCheckpointHex(HASH + "00", local)).toBe(false);
    expect(compareCheckpointHex(" " + HASH.slice(1), local)).toBe(false);
  });
});
