import { describe, expect, it } from "vitest";
import { toHex } from "../../src/core/hex";
import { HmacDrbg } from "../../src/keystore/hmac-drbg";

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));

describe("HmacDrbg", () => {
  // NIST CAVP HMAC_DRBG.rsp, [SHA-256] no reseed, no personalization, COUNT = 0: the
  // second 1024-bit Generate is the ReturnedBits.
  it("matches the NIST CAVP known answer", async () => {
    const drbg = await HmacDrbg.instantiate(
      bytes("ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488"),
      bytes("659ba96c601dc69fc902940805ec0ca8"),
    );
    await drbg.generate(128);
    expect(toHex(await drbg.generate(128))).toBe(
      "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89" +
        "d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc1" +
        "07694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668" +
        "961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8",
    );
  });

  it("is a deterministic stream per seed, and different seeds differ", async () => {
    const stream = async (seed: number) => {
      const drbg = await HmacDrbg.instantiate(new Uint8Array(32).fill(seed));
      return [toHex(await drbg.generate(5)), toHex(await drbg.generate(40))];
    };
    expect(await stream(1)).toEqual(await stream(1));
    expect(await stream(1)).not.toEqual(await stream(2));
  });

  it("refuses empty and huge requests", async () => {
    const drbg = await HmacDrbg.instantiate(new Uint8Array(32));
    await expect(drbg.generate(0)).rejects.toThrow(/out of range/);
    await expect(drbg.generate(70_000)).rejects.toThrow(/out of range/);
  });
});
