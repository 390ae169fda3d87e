import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/core/hex";
import { KeyFileError, parseKeyFile } from "../../src/keystore/key-file";

const SEED_HEX = "8f".repeat(16) + "0a".repeat(16);
const text = (s: string) => new TextEncoder().encode(s);

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs1Der = new Uint8Array(rsa.privateKey.export({ format: "der", type: "pkcs1" }));
const pkcs1Pem = rsa.privateKey.export({ format: "pem", type: "pkcs1" }) as string;
const pkcs8Pem = rsa.privateKey.export({ format: "pem", type: "pkcs8" }) as string;

/** Parses and returns the KeyFileError message; fails if parsing succeeds. */
function problem(bytes: Uint8Array): string {
  try {
    parseKeyFile(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(KeyFileError);
    return (e as Error).message;
  }
  throw new Error("parseKeyFile accepted the file");
}

describe("parseKeyFile: seed files", () => {
  it("reads one 64-hex-character line, ignoring comments, blank lines and CRLF", () => {
    const file = `# secure-log keystore seed\r\n\r\n  ${SEED_HEX.toUpperCase()}  \r\n# end\r\n`;
    const parsed = parseKeyFile(text(file));
    expect(parsed.kind).toBe("seed");
    expect(parsed.kind === "seed" && toHex(parsed.seed)).toBe(SEED_HEX);
  });

  it.each([
    ["", /empty/],
    ["# only a comment\n\n", /no seed line/],
    [`${SEED_HEX}\n${SEED_HEX}\n`, /one seed line, found 2/],
    [SEED_HEX.slice(2), /exactly 64 hex characters.*62 characters/],
    [SEED_HEX.slice(2) + "zz", /64 characters and some are not hex digits/],
  ])("rejects %j", (file, message) => {
    expect(problem(text(file))).toMatch(message);
  });

  it("never repeats the file's contents in a message", () => {
    const almost = SEED_HEX.slice(0, 63) + "g";
    const message = problem(text(almost));
    expect(message).not.toContain(almost.slice(0, 16));
  });

  it("rejects bytes that are neither text nor DER", () => {
    expect(problem(Uint8Array.of(0xff, 0xfe, 0x00, 0x41))).toMatch(/neither text/);
  });
});

describe("parseKeyFile: RSA private keys", () => {
  it.each([
    ["PKCS#1 DER", pkcs1Der],
    ["PKCS#1 PEM", text(pkcs1Pem)],
    ["PKCS#8 PEM", text(pkcs8Pem)],
    ["PEM with a comment before it", text(`# operator note\n${pkcs1Pem}`)],
  ])("reads %s as the PKCS#1 DER key", (_form, bytes) => {
    expect(parseKeyFile(bytes)).toEqual({ kind: "rsa-private-key", der: pkcs1Der });
  });

  it("refuses encrypted keys", () => {
    const encrypted = rsa.privateKey.export({
      format: "pem",
      type: "pkcs8",
      cipher: "aes-256-cbc",
      passphrase: "pw",
    }) as string;
    expect(problem(text(encrypted))).toMatch(/encrypted PEM keys are not supported/);
  });

  it("refuses PKCS#8 keys of other algorithms and other PEM blocks", () => {
    const ed = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" });
    expect(problem(text(ed as string))).toMatch(/not an RSA key/);
    const pub = rsa.publicKey.export({ format: "pem", type: "spki" }) as string;
    expect(problem(text(pub))).toMatch(/unsupported PEM block "PUBLIC KEY"/);
    expect(problem(text(pkcs1Pem + pkcs1Pem))).toMatch(/exactly one PEM block, found 2/);
  });

  it("refuses RSA keys that are too small or inconsistent, without printing them", () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
    const der = new Uint8Array(small.export({ format: "der", type: "pkcs1" }));
    const message = problem(der);
    expect(message).toMatch(/PKCS#1 DER RSA private key is not usable: .*1024 bits/);
    const corrupt = pkcs1Der.slice();
    corrupt[corrupt.length - 1]! ^= 1;
    expect(problem(corrupt)).toMatch(/not usable/);
    expect(problem(text(pkcs1Pem.replace(/\n[A-Za-z0-9+/]{10}/, "\n%%%%%%%%%%")))).toMatch(
      /not valid base64/,
    );
  });

  it("yields a key OpenSSL accepts", () => {
    const parsed = parseKeyFile(text(pkcs8Pem));
    if (parsed.kind !== "rsa-private-key") throw new Error("expected an RSA key");
    const key = createPrivateKey({ key: Buffer.from(parsed.der), format: "der", type: "pkcs1" });
    expect(key.asymmetricKeyType).toBe("rsa");
  });
});
