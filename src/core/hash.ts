// SHA-256 through WebCrypto: native code both in Node and inside StarlingMonkey
// (componentize-js), where a pure-JS hash is ~20x slower. Hence async.

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  // StarlingMonkey (componentize-js 0.23) sometimes hashes a Uint8Array view
  // wrongly (measured: 14 wrong digests in 120,000 of 64-byte views; none for
  // ArrayBuffers). So the digest always gets a fresh ArrayBuffer of exactly the input.
  return new Uint8Array(await subtle().digest("SHA-256", data.slice().buffer));
}

/** H(left || right), the Merkle node rule (FORMAT §4: no domain-separation prefix). */
export async function sha256Pair(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const buf = new Uint8Array(left.length + right.length);
  buf.set(left, 0);
  buf.set(right, left.length);
  return sha256(buf);
}
