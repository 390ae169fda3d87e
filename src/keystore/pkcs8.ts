// Unwraps an unencrypted PKCS#8 PrivateKeyInfo (RFC 5208 / RFC 5958) holding an
// RSA key to the PKCS#1 RSAPrivateKey inside it, so operators can use what
// `openssl genpkey` / `openssl genrsa` (3.x) write without converting it first.
// The input is secret: messages name the part that is wrong, never its bytes.

const RSA_ENCRYPTION_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** One definite-length TLV at `pos`, or why not. */
function readTlv(der: Uint8Array, pos: number, end: number): Tlv | string {
  if (pos + 2 > end) return "truncated";
  const tag = der[pos]!;
  const first = der[pos + 1]!;
  let start = pos + 2;
  let length = first;
  if (first === 0x80) return "indefinite length";
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4 || start + count > end) return "bad length";
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  if (start + length > end) return "truncated";
  return { tag, start, end: start + length };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The PKCS#1 DER inside a PKCS#8 RSA key, or a description of what is wrong. */
export function unwrapPkcs8Rsa(der: Uint8Array): Uint8Array | string {
  const outer = readTlv(der, 0, der.length);
  if (typeof outer === "string") return `PKCS#8: ${outer}`;
  if (outer.tag !== 0x30 || outer.end !== der.length) return "PKCS#8: not one DER SEQUENCE";
  const version = readTlv(der, outer.start, outer.end);
  if (typeof version === "string" || version.tag !== 0x02 || version.end - version.start !== 1) {
    return "PKCS#8: bad version";
  }
  if (der[version.start]! > 1) return "PKCS#8: unknown version";
  const algorithm = readTlv(der, version.end, outer.end);
  if (typeof algorithm === "string" || algorithm.tag !== 0x30) {
    return "PKCS#8: bad AlgorithmIdentifier";
  }
  const oid = readTlv(der, algorithm.start, algorithm.end);
  if (typeof oid === "string" || oid.tag !== 0x06) return "PKCS#8: bad algorithm OID";
  if (!bytesEqual(der.subarray(oid.start, oid.end), RSA_ENCRYPTION_OID)) {
    return "PKCS#8: not an RSA key (algorithm is not rsaEncryption)";
  }
  const key = readTlv(der, algorithm.end, outer.end);
  if (typeof key === "string" || key.tag !== 0x04) return "PKCS#8: bad privateKey OCTET STRING";
  return der.slice(key.start, key.end);
}
