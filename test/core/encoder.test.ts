import { describe, expect, it } from "vitest";
import { CborWriter } from "../../src/core/cbor";
import { ENCODER_NAME, encodeEntry, entryHash } from "../../src/core/encoder";
import { SecureLogError } from "../../src/core/errors";
import { sha256 } from "../../src/core/hash";
import { toHex } from "../../src/core/hex";
import {
  CHECKPOINT_VERSION,
  ENCODER_CBOR,
  ENTRY_VERSION,
  HASH_LEN,
  SEVERITIES,
  TIERS,
  U64_MAX,
  ZERO_HASH,
  parseSeverity,
  parseTier,
  type EntryFields,
} from "../../src/core/model";
import { vectors, type ItemVector } from "../fixtures/vectors";

const { constants, entries } = vectors;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof SecureLogError) return e.code;
    throw e;
  }
  return undefined;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Encodes one field of an entry as its own CBOR item. */
function entryItem(f: EntryFields, name: string): Uint8Array {
  const w = new CborWriter();
  switch (name) {
    case "version":
      return w.uint(f.version).finish();
    case "stream_id":
      return w.text(f.streamId).finish();
    case "session_id":
      return w.text(f.sessionId).finish();
    case "boot_id":
      return w.text(f.bootId).finish();
    case "seqno":
      return w.uint(f.seqno).finish();
    case "timestamp_rfc3339":
      return w.text(f.timestampRfc3339).finish();
    case "event_type":
      return w.text(f.eventType).finish();
    case "severity":
      return w.text(f.severity).finish();
    case "producer":
      return w.text(f.producer).finish();
    case "payload_encoding":
      return w.text(f.payloadEncoding).finish();
    case "payload":
      return w.bytes(f.payload).finish();
    case "prev_entry_hash":
      return w.bytes(f.prevEntryHash).finish();
  }
  throw new Error(`unknown entry item ${name}`);
}

const ENTRY_ITEM_ORDER = [
  "version",
  "stream_id",
  "session_id",
  "boot_id",
  "seqno",
  "timestamp_rfc3339",
  "event_type",
  "severity",
  "producer",
  "payload_encoding",
  "payload",
  "prev_entry_hash",
];

/** 0x8c followed by the oracle's items, with `replace` swapped in. */
function fromItems(items: ItemVector[], replace: Record<string, Uint8Array> = {}): Uint8Array {
  return concat([Uint8Array.of(0x8c), ...items.map((i) => replace[i.name] ?? i.bytes)]);
}

describe("constants", () => {
  it("match the reference", () => {
    expect(ENTRY_VERSION).toBe(constants.entryVersion);
    expect(CHECKPOINT_VERSION).toBe(constants.checkpointVersion);
    expect(HASH_LEN).toBe(constants.hashLen);
    expect(toHex(ZERO_HASH)).toBe(toHex(constants.zeroHash));
    expect(toHex(ZERO_HASH)).toBe(toHex(constants.genesisPrev));
    expect(ENCODER_NAME).toBe(constants.encoderName);
    expect(ENCODER_NAME).toBe(constants.encoderCbor);
    expect(ENCODER_CBOR).toBe(constants.encoderCbor);
  });

  it("sha256 sanity", async () => {
    expect(constants.sha256Sanity.length).toBeGreaterThan(0);
    for (const c of constants.sha256Sanity) {
      expect(toHex(await sha256(c.input))).toBe(toHex(c.sha256));
    }
  });
});

describe("severity and tier tables", () => {
  it("each severity's name, order and CBOR text item", () => {
    expect(constants.severities.map((s) => s.name)).toEqual([...SEVERITIES]);
    for (const s of constants.severities) {
      expect(SEVERITIES[s.ordinal]).toBe(s.name);
      expect(toHex(new CborWriter().text(s.name).finish())).toBe(toHex(s.cborTextItem));
      expect(s.roundtrips).toBe(true);
      expect(parseSeverity(s.name)).toBe(s.name);
    }
  });

  it("rejects what the reference rejects, with its message", () => {
    expect(constants.severityRejects.length).toBeGreaterThan(0);
    for (const r of constants.severityRejects) {
      let caught: unknown;
      try {
        parseSeverity(r.input);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SecureLogError);
      const err = caught as SecureLogError;
      expect(err.code).toBe("invalid");
      expect(err.message).toBe(r.message);
    }
  });

  it("tier display names", () => {
    expect(constants.tiers).toEqual([...TIERS]);
  });

  it("tier parsing as FromStr", () => {
    expect(constants.tierFromStr.length).toBeGreaterThan(0);
    for (const t of constants.tierFromStr) {
      if ("ok" in t) {
        expect(parseTier(t.input)).toBe(t.ok);
        continue;
      }
      let caught: unknown;
      try {
        parseTier(t.input);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SecureLogError);
      const err = caught as SecureLogError;
      expect(err.code).toBe("invalid");
      expect(err.payload).toEqual({ tag: "invalid", val: t.err });
    }
  });
});

describe("CBOR writer (FORMAT §2)", () => {
  const uints: [bigint, string][] = [
    [0n, "00"],
    [23n, "17"],
    [24n, "1818"],
    [255n, "18ff"],
    [256n, "190100"],
    [65535n, "19ffff"],
    [65536n, "1a00010000"],
    [2n ** 32n - 1n, "1affffffff"],
    [2n ** 32n, "1b0000000100000000"],
    [2n ** 53n + 1n, "1b0020000000000001"],
    [2n ** 64n - 1n, "1bffffffffffffffff"],
  ];

  it.each(uints)("uint %s", (n, expected) => {
    expect(toHex(new CborWriter().uint(n).finish())).toBe(expected);
    if (n <= BigInt(Number.MAX_SAFE_INTEGER)) {
      expect(toHex(new CborWriter().uint(Number(n)).finish())).toBe(expected);
    }
  });

  it("rejects uints outside 0..2^64-1 with code encoding", () => {
    expect(codeOf(() => new CborWriter().uint(2n ** 64n))).toBe("encoding");
    expect(codeOf(() => new CborWriter().uint(-1n))).toBe("encoding");
    expect(codeOf(() => new CborWriter().uint(-1))).toBe("encoding");
    expect(codeOf(() => new CborWriter().uint(1.5))).toBe("encoding");
    expect(codeOf(() => new CborWriter().uint(Number.NaN))).toBe("encoding");
    expect(codeOf(() => new CborWriter().uint(2 ** 53))).toBe("encoding");
  });

  it("small items", () => {
    expect(toHex(new CborWriter().text("").finish())).toBe("60");
    expect(toHex(new CborWriter().bytes(new Uint8Array()).finish())).toBe("40");
    expect(toHex(new CborWriter().array(12).finish())).toBe("8c");
    expect(toHex(new CborWriter().bytes(new Uint8Array(32).fill(0xab)).finish())).toBe(
      "5820" + "ab".repeat(32),
    );
    expect(toHex(new CborWriter().text("é😀").finish())).toBe("66c3a9f09f9880");
  });

  it("a 300-character text uses the 2-byte header", () => {
    const out = new CborWriter().text("x".repeat(300)).finish();
    expect(out.length).toBe(303);
    expect(toHex(out.subarray(0, 3))).toBe("79012c");
  });

  it("a 70 KiB byte string uses the 4-byte header", () => {
    const payload = new Uint8Array(70 * 1024).map((_, i) => i & 0xff);
    const out = new CborWriter(8).bytes(payload).finish();
    expect(out.length).toBe(5 + payload.length);
    expect(toHex(out.subarray(0, 5))).toBe("5a00011800");
    expect(out.subarray(5)).toEqual(payload);
  });

  it("grows past its capacity and returns exactly the bytes written", () => {
    const w = new CborWriter(1);
    for (let i = 0; i < 100; i++) w.uint(BigInt(i) * 1_000_003n);
    const out = w.finish();
    let expected = "";
    for (let i = 0; i < 100; i++) {
      expected += toHex(new CborWriter().uint(BigInt(i) * 1_000_003n).finish());
    }
    expect(toHex(out)).toBe(expected);
  });
});

describe("entry vectors (FORMAT §3)", () => {
  it("the subset holds 7 chained entries", () => {
    expect(entries.length).toBe(7);
  });

  it.each(entries.map((e) => [e.index, e] as const))("entry %i bytes and hash", async (_, e) => {
    const encoded = encodeEntry(e.fields);
    expect(encoded.length).toBe(e.encodedLen);
    expect(toHex(encoded)).toBe(toHex(e.encoded));
    expect(toHex(await entryHash(e.fields))).toBe(toHex(e.entryHash));
  });

  it.each(entries.map((e) => [e.index, e] as const))("entry %i items", (_, e) => {
    expect(e.items.map((i) => i.name)).toEqual(ENTRY_ITEM_ORDER);
    for (const item of e.items) {
      expect(toHex(entryItem(e.fields, item.name)), item.name).toBe(toHex(item.bytes));
    }
    expect(toHex(fromItems(e.items))).toBe(toHex(e.encoded));
  });

  it("chain links: entry[0].prev = ZERO_HASH, entry[i].prev = entry[i-1].hash", async () => {
    expect(toHex(entries[0]!.fields.prevEntryHash)).toBe(toHex(ZERO_HASH));
    for (let i = 1; i < entries.length; i++) {
      const prevHash = await entryHash(entries[i - 1]!.fields);
      expect(toHex(entries[i]!.fields.prevEntryHash)).toBe(toHex(prevHash));
    }
  });

  it("seqno 2^64-1 is written as 1bffffffffffffffff in item 4", () => {
    const e = entries[0]!;
    const encoded = encodeEntry({ ...e.fields, seqno: U64_MAX });
    const expected = fromItems(e.items, { seqno: Uint8Array.of(0x1b, ...Array(8).fill(0xff)) });
    expect(toHex(encoded)).toBe(toHex(expected));
  });

  it("seqno 2^64 and -1 throw code encoding", () => {
    const f = entries[0]!.fields;
    expect(codeOf(() => encodeEntry({ ...f, seqno: 2n ** 64n }))).toBe("encoding");
    expect(codeOf(() => encodeEntry({ ...f, seqno: -1n }))).toBe("encoding");
  });

  it("version must be a u32", () => {
    const e = entries[0]!;
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        codeOf(() => encodeEntry({ ...e.fields, version: bad })),
        String(bad),
      ).toBe("encoding");
    }
    const max = encodeEntry({ ...e.fields, version: 2 ** 32 - 1 });
    expect(toHex(max)).toBe(
      toHex(fromItems(e.items, { version: Uint8Array.of(0x1a, 255, 255, 255, 255) })),
    );
  });

  it("an unknown severity string is refused, not hashed", () => {
    const f = { ...entries[0]!.fields, severity: "INFO" as EntryFields["severity"] };
    expect(codeOf(() => encodeEntry(f))).toBe("encoding");
  });

  it("each severity lands in item 7 as its lowercase name", () => {
    const e = entries[0]!;
    for (const s of constants.severities) {
      const encoded = encodeEntry({ ...e.fields, severity: parseSeverity(s.name) });
      expect(toHex(encoded)).toBe(toHex(fromItems(e.items, { severity: s.cborTextItem })));
    }
  });

  it("accepts any prev-entry-hash length, as the reference", () => {
    const e = entries[0]!;
    for (const len of [0, 1, 31, 33, 64]) {
      const prev = new Uint8Array(len).fill(7);
      const encoded = encodeEntry({ ...e.fields, prevEntryHash: prev });
      const item = new CborWriter().bytes(prev).finish();
      expect(toHex(encoded)).toBe(toHex(fromItems(e.items, { prev_entry_hash: item })));
    }
  });

  it("a 70 KiB payload and a 300-character event type use the long headers", () => {
    const e = entries[0]!;
    const payload = new Uint8Array(70 * 1024).fill(0x5a);
    const eventType = "e".repeat(300);
    const encoded = encodeEntry({ ...e.fields, payload, eventType });
    const expected = fromItems(e.items, {
      payload: concat([Uint8Array.of(0x5a, 0x00, 0x01, 0x18, 0x00), payload]),
      event_type: concat([Uint8Array.of(0x79, 0x01, 0x2c), new TextEncoder().encode(eventType)]),
    });
    expect(encoded.length).toBe(expected.length);
    expect(toHex(encoded)).toBe(toHex(expected));
  });

  it("the FORMAT §3.5 annotated example", async () => {
    const f: EntryFields = {
      version: 1,
      streamId: "default",
      sessionId: "sess-1",
      bootId: "boot-1",
      seqno: 0n,
      timestampRfc3339: "2026-04-10T00:00:00Z",
      eventType: "test.event",
      severity: "info",
      producer: "unit-test",
      payloadEncoding: "cbor",
      payload: new TextEncoder().encode("hello"),
      prevEntryHash: ZERO_HASH,
    };
    // FORMAT §3.5, one line per item.
    const annotated = [
      "8c", // array(12)
      "01", // version
      "67 64656661756c74", // "default"
      "66 736573732d31", // "sess-1"
      "66 626f6f742d31", // "boot-1"
      "00", // seqno 0
      "74 323032362d30342d31305430303a30303a30305a", // "2026-04-10T00:00:00Z"
      "6a 746573742e6576656e74", // "test.event"
      "64 696e666f", // "info"
      "69 756e69742d74657374", // "unit-test"
      "64 63626f72", // "cbor"
      "45 68656c6c6f", // bytes "hello"
      "5820 " + "00".repeat(32), // prev = ZERO_HASH
    ]
      .join("")
      .replaceAll(" ", "");
    expect(toHex(encodeEntry(f))).toBe(annotated);
    expect(toHex(await entryHash(f))).toBe(
      "65a373fb835b82d8c47117adbe898dadd31167186f4812995073fabe09db779f",
    );
  });
});
