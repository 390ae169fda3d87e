import { describe, expect, it } from "vitest";
import { SecureLogError } from "../../src/core/errors";
import { parseHex, toHex } from "../../src/core/hex";
import { hkdfSha256 } from "../../src/core/hkdf";
import {
  AEAD_NAME_V1,
  AEAD_NAME_V2,
  aadV1,
  aadV2,
  deriveEntryKeyV2,
  deriveSegmentKey,
  deriveStreamKey,
  entryKeyV2,
  minimizeTag,
  openPayload,
  sealPayload,
} from "../../src/core/sealing";

const hex = (s: string): Uint8Array => {
  const b = parseHex(s.replace(/\s+/g, ""));
  if (typeof b === "string") throw new Error(b);
  return b;
};
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

// RFC 8439 §2.8.2.
const KEY = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
const NONCE = hex("070000004041424344454647");
const AAD = hex("50515253c0c1c2c3c4c5c6c7");
const PLAINTEXT = utf8(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);
const CIPHERTEXT = hex(`
  d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
  3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
  92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
  3ff4def08e4b7a9de576d26586cec64b6116`);
const TAG = hex("1ae10b594f09e26a7e902ecbd0600691");
const SEALED = new Uint8Array([...NONCE, ...CIPHERTEXT, ...TAG]);

function expectError(fn: () => unknown, tag: string, message: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SecureLogError);
    expect((e as SecureLogError).payload).toEqual({ tag, val: message });
    return;
  }
  throw new Error("expected an error");
}

const master = new Uint8Array(32).fill(0x42);

describe("sealPayload / openPayload", () => {
  it("opens the RFC 8439 §2.8.2 vector laid out as nonce || ct || tag", () => {
    expect(openPayload(KEY, AAD, SEALED)).toEqual(PLAINTEXT);
  });

  it("reproduces the vector when sealing with its nonce", () => {
    expect(toHex(sealPayload(KEY, AAD, PLAINTEXT, NONCE))).toBe(toHex(SEALED));
  });

  it("draws a fresh random nonce when none is given", () => {
    const a = sealPayload(KEY, AAD, PLAINTEXT);
    const b = sealPayload(KEY, AAD, PLAINTEXT);
    expect(a.length).toBe(PLAINTEXT.length + 28);
    expect(toHex(a.subarray(0, 12))).not.toBe(toHex(b.subarray(0, 12)));
    expect(openPayload(KEY, AAD, a)).toEqual(PLAINTEXT);
  });

  it("seals an empty plaintext into exactly 28 bytes", () => {
    const s = sealPayload(KEY, AAD, new Uint8Array(0));
    expect(s.length).toBe(28);
    expect(openPayload(KEY, AAD, s).length).toBe(0);
  });

  it("refuses envelopes shorter than 28 bytes", () => {
    expectError(
      () => openPayload(KEY, AAD, SEALED.subarray(0, 27)),
      "encoding",
      "sealed payload too short: 27 bytes",
    );
    expectError(
      () => openPayload(KEY, AAD, new Uint8Array(0)),
      "encoding",
      "sealed payload too short: 0 bytes",
    );
  });

  it("fails authentication on a flipped byte, a wrong AAD or a wrong key", () => {
    const failure = "aead open failed: authentication tag mismatch";
    for (const i of [0, 12, 20, SEALED.length - 1]) {
      const bad = SEALED.slice();
      bad[i]! ^= 0x01;
      expectError(() => openPayload(KEY, AAD, bad), "encoding", failure);
    }
    expectError(() => openPayload(KEY, utf8("other"), SEALED), "encoding", failure);
    const wrongKey = KEY.slice();
    wrongKey[0]! ^= 0x80;
    expectError(() => openPayload(wrongKey, AAD, SEALED), "encoding", failure);
  });

  it("keeps the noble error as the cause", () => {
    try {
      openPayload(KEY, new Uint8Array(0), SEALED);
    } catch (e) {
      expect((e as Error).cause).toBeInstanceOf(Error);
      return;
    }
    throw new Error("expected an error");
  });

  it("checks key and nonce lengths", () => {
    expectError(
      () => sealPayload(KEY.subarray(1), AAD, PLAINTEXT),
      "invalid",
      "payload key must be 32 bytes, got 31",
    );
    expectError(
      () => sealPayload(KEY, AAD, PLAINTEXT, NONCE.subarray(1)),
      "invalid",
      "nonce must be 12 bytes, got 11",
    );
  });
});

describe("v1 derivation (reference bytes)", () => {
  it("names and AAD are as FORMAT §8", () => {
    expect(AEAD_NAME_V1).toBe("cbor+aead-chacha20poly1305-v1");
    expect(text(aadV1("default", "protected", 12n))).toBe(
      "tpm:secure-log:v1:stream=default:tier=protected:segment=12",
    );
  });

  it("round-trips with the segment key, and the segment id is bound", async () => {
    const stream = await deriveStreamKey(master, "s", "protected");
    const k1 = await deriveSegmentKey(stream, 1n);
    const sealed = sealPayload(k1, aadV1("s", "protected", 1n), utf8("msg"));
    expect(text(openPayload(k1, aadV1("s", "protected", 1n), sealed))).toBe("msg");
    const k2 = await deriveSegmentKey(stream, 2n);
    expect(() => openPayload(k2, aadV1("s", "protected", 2n), sealed)).toThrow(/aead open failed/);
  });

  it("rotates the stream key with the tier", async () => {
    const keys = await Promise.all(
      (["public", "protected", "highly-restricted"] as const).map((t) =>
        deriveStreamKey(master, "x", t),
      ),
    );
    expect(new Set(keys.map(toHex)).size).toBe(3);
  });
});

describe("v2 derivation (keyed and bound by seqno)", () => {
  it("uses the documented info string and AAD", async () => {
    expect(AEAD_NAME_V2).toBe("cbor+aead-chacha20poly1305-v2");
    const stream = await deriveStreamKey(master, "default", "public");
    const key = await entryKeyV2(master, "default", "public", 5n);
    expect(key).toEqual(await hkdfSha256(stream, "v2:entry:5"));
    expect(key).toEqual(await deriveEntryKeyV2(stream, 5n));
    expect(text(aadV2("default", "public", 5n))).toBe(
      "tpm:secure-log:v2:stream=default:tier=public:seqno=5",
    );
  });

  it("key and AAD differ per seqno, so seqno 5's payload does not open as seqno 6", async () => {
    const k5 = await entryKeyV2(master, "default", "protected", 5n);
    const k6 = await entryKeyV2(master, "default", "protected", 6n);
    expect(toHex(k5)).not.toBe(toHex(k6));
    expect(toHex(aadV2("default", "protected", 5n))).not.toBe(
      toHex(aadV2("default", "protected", 6n)),
    );
    const sealed = sealPayload(k5, aadV2("default", "protected", 5n), utf8("five"));
    expect(text(openPayload(k5, aadV2("default", "protected", 5n), sealed))).toBe("five");
    expect(() => openPayload(k6, aadV2("default", "protected", 6n), sealed)).toThrow(
      /aead open failed/,
    );
    // Even with the right key, the AAD alone pins the seqno.
    expect(() => openPayload(k5, aadV2("default", "protected", 6n), sealed)).toThrow(
      /aead open failed/,
    );
  });

  it("handles u64 max and refuses out-of-range seqnos", async () => {
    const max = (1n << 64n) - 1n;
    expect(text(aadV2("s", "public", max))).toMatch(/:seqno=18446744073709551615$/);
    await expect(entryKeyV2(master, "s", "public", max + 1n)).rejects.toThrow(/out of u64 range/);
    expect(() => aadV2("s", "public", -1n)).toThrow(/out of u64 range/);
  });
});

describe("minimizeTag", () => {
  it("is min: + 16 lowercase hex and deterministic", async () => {
    const a = await minimizeTag(master, "default", "event_type", "user.login");
    expect(a).toMatch(/^min:[0-9a-f]{16}$/);
    expect(await minimizeTag(master, "default", "event_type", "user.login")).toBe(a);
    expect(await minimizeTag(master, "default", "producer", "user.login")).not.toBe(a);
    expect(await minimizeTag(master, "other", "event_type", "user.login")).not.toBe(a);
    const otherMaster = new Uint8Array(32).fill(1);
    expect(await minimizeTag(otherMaster, "default", "event_type", "user.login")).not.toBe(a);
  });
});

describe("master key checks", () => {
  it("refuses a 31-byte master key", async () => {
    const short = new Uint8Array(31);
    const invalid = { tag: "invalid", val: "master key must be 32 bytes, got 31" };
    await expect(deriveStreamKey(short, "s", "public")).rejects.toMatchObject({ payload: invalid });
    await expect(entryKeyV2(short, "s", "public", 1n)).rejects.toMatchObject({ payload: invalid });
    await expect(minimizeTag(short, "s", "producer", "p")).rejects.toMatchObject({
      payload: invalid,
    });
  });

  it("refuses a tier outside the vocabulary", async () => {
    await expect(
      deriveStreamKey(master, "s", "Public" as unknown as "public"),
    ).rejects.toMatchObject({ payload: { tag: "invalid" } });
  });
});
