// SHA-256 through WebCrypto: native code both in Node and inside StarlingMonkey
// (componentize-js), where a pure-JS hash is ~20x slower. Hence async.

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

// StarlingMonkey (componentize-js 0.23) sometimes hashes a Uint8Array view
// wrongly (measured: 14 wrong digests in 120,000 of 64-byte views; none for
// ArrayBuffers). So the digest always gets a fresh ArrayBuffer of exactly the input.
const digestOf = (data: Uint8Array): Promise<ArrayBuffer> =>
  subtle().digest("SHA-256", data.slice().buffer);

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await digestOf(data));
}

/**
 * The SHA-256 of each input, in order, in one async function: every digest is
 * started first (in Node they then run side by side on the thread pool), then
 * each is awaited in turn. Inside StarlingMonkey a digest runs at once and
 * each extra promise per hash (an async wrapper, `.then`, Promise.all's
 * per-element reaction) costs more than the digest itself; this shape adds
 * none (docs/design/performance.md). SHA-256 of an ArrayBuffer does not
 * reject, so a digest not yet awaited is never an unhandled rejection.
 */
export async function sha256Each(inputs: readonly Uint8Array[]): Promise<Uint8Array[]> {
  const pending = new Array<Promise<ArrayBuffer>>(inputs.length);
  for (let i = 0; i < inputs.length; i++) pending[i] = digestOf(inputs[i]!);
  const out = new Array<Uint8Array>(inputs.length);
  for (let i = 0; i < inputs.length; i++) out[i] = new Uint8Array(await pending[i]!);
  return out;
}

/** left || right, the input of a Merkle node (FORMAT §4: no domain-separation prefix). */
export function pairBytes(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(left.length + right.length);
  buf.set(left, 0);
  buf.set(right, left.length);
  return buf;
}

/** H(left || right), the Merkle node rule. */
export async function sha256Pair(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(pairBytes(left, right));
}
