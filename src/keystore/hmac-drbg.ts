// HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1, §10.1.2), without reseeding,
// prediction resistance or additional input. The software keystore uses it as a
// deterministic byte stream: the same seed always gives the same bytes, which is
// what lets every instance derive the same RSA key for a label. HMAC runs through
// WebCrypto (native in StarlingMonkey), hence async.

const OUT_LEN = 32;
const HMAC = { name: "HMAC", hash: "SHA-256" };

async function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  // Our buffers are never shared; the cast only satisfies the DOM typing.
  return globalThis.crypto.subtle.importKey("raw", key as BufferSource, HMAC, false, ["sign"]);
}

async function hmac(key: CryptoKey, ...parts: Uint8Array[]): Promise<Uint8Array> {
  const data = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", key, data as BufferSource));
}

export class HmacDrbg {
  private v: Uint8Array = new Uint8Array(OUT_LEN).fill(0x01);

  private constructor(private k: CryptoKey) {}

  /** HMAC_DRBG_Instantiate: seed material = entropy || nonce || personalization. */
  static async instantiate(
    entropy: Uint8Array,
    nonce: Uint8Array = new Uint8Array(0),
    personalization: Uint8Array = new Uint8Array(0),
  ): Promise<HmacDrbg> {
    const drbg = new HmacDrbg(await hmacKey(new Uint8Array(OUT_LEN)));
    const seed = new Uint8Array(entropy.length + nonce.length + personalization.length);
    seed.set(entropy, 0);
    seed.set(nonce, entropy.length);
    seed.set(personalization, entropy.length + nonce.length);
    await drbg.update(seed);
    return drbg;
  }

  /** HMAC_DRBG_Update (§10.1.2.2). */
  private async update(data: Uint8Array): Promise<void> {
    for (const round of data.length === 0 ? [0x00] : [0x00, 0x01]) {
      this.k = await hmacKey(await hmac(this.k, this.v, Uint8Array.of(round), data));
      this.v = await hmac(this.k, this.v);
    }
  }

  /** HMAC_DRBG_Generate (§10.1.2.5): the next `length` bytes. Await each call before the next. */
  async generate(length: number): Promise<Uint8Array> {
    if (!Number.isInteger(length) || length < 1 || length > 1 << 16) {
      throw new RangeError(`HMAC_DRBG request of ${length} bytes is out of range`);
    }
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += OUT_LEN) {
      this.v = await hmac(this.k, this.v);
      out.set(this.v.subarray(0, Math.min(OUT_LEN, length - at)), at);
    }
    await this.update(new Uint8Array(0));
    return out;
  }
}
