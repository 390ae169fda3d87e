// Strict hex: even length, [0-9a-fA-F] only, no signs or spaces (the reference's
// parser accepts "+1" pairs and panics on odd lengths; FORMAT §10.7).

const HEX = "0123456789abcdef";

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += HEX[b >> 4] + HEX[b & 15];
  return s;
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Parses hex or returns an explanation of why it is not hex. */
export function parseHex(text: string): Uint8Array | string {
  if (text.length % 2 !== 0) return `odd-length hex string (${text.length} characters)`;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(2 * i));
    const lo = nibble(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return `not a hex digit at position ${hi < 0 ? 2 * i : 2 * i + 1}`;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Parses hex of exactly `length` bytes, or returns why not. */
export function parseHexExact(text: string, length: number): Uint8Array | string {
  const bytes = parseHex(text);
  if (typeof bytes === "string") return bytes;
  if (bytes.length !== length) return `expected ${length} bytes of hex, got ${bytes.length}`;
  return bytes;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
