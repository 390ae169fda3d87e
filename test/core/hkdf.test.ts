import { hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hkdfSha256 } from "../../src/core/hkdf";
import { toHex } from "../../src/core/hex";
import { deriveSegmentKey, deriveStreamKey, minimizeTag } from "../../src/core/sealing";

const nodeHkdf = (ikm: Uint8Array, info: string, len = 32) =>
  new Uint8Array(hkdfSync("sha256", ikm, new Uint8Array(0), info, len));

describe("hkdfSha256", () => {
  it("matches RFC 5869 test case 3 (salt and info empty, L = 42)", async () => {
    const okm = await hkdfSha256(new Uint8Array(22).fill(0x0b), "", 42);
    expect(toHex(okm)).toBe(
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    );
  });

  it("takes string info as UTF-8, the same as the bytes", async () => {
    const ikm = new Uint8Array(32).fill(7);
    const info = "stream=ünïcode";
    const a = await hkdfSha256(ikm, info);
    const b = await hkdfSha256(ikm, new TextEncoder().encode(info));
    expect(a).toEqual(b);
    expect(a).toEqual(nodeHkdf(ikm, info));
  });

  it("defaults to 32 bytes and refuses lengths outside 1..8160", async () => {
    expect((await hkdfSha256(new Uint8Array(32), "x")).length).toBe(32);
    await expect(hkdfSha256(new Uint8Array(32), "x", 0)).rejects.toThrow(/out of range/);
    await expect(hkdfSha256(new Uint8Array(32), "x", 255 * 32 + 1)).rejects.toThrow(/out of range/);
  });

  it("derives the v1 keys with exactly the FORMAT §8.1/§8.5 info strings", async () => {
    const master = new Uint8Array(32).map((_, i) => i);
    const stream = await deriveStreamKey(master, "orders.audit", "highly-restricted");
    expect(stream).toEqual(
      nodeHkdf(master, "tpm:secure-log:v1:stream=orders.audit:tier=highly-restricted"),
    );
    const segment = await deriveSegmentKey(stream, 18446744073709551615n);
    expect(segment).toEqual(nodeHkdf(stream, "v1:segment:18446744073709551615"));
    const okm = nodeHkdf(
      master,
      "tpm:secure-log:v1:minimize:stream=orders.audit:field=producer:value=kernel",
    );
    expect(await minimizeTag(master, "orders.audit", "producer", "kernel")).toBe(
      "min:" + toHex(okm.subarray(0, 8)),
    );
  });
});
