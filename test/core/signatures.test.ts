import {
  checkPrimeSync,
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { SecureLogError } from "../../src/core/errors";
import {
  encodeRsaPrivateKey,
  encodeRsaPublicKey,
  parseRsaPrivateKey,
  parseRsaPublicKey,
  rsaGenerateKey,
  rsaPssSign,
} from "../../src/core/signatures/rsa-pss";
import { publicKeyFor, signWith } from "../../src/core/signatures/sign";
import { verifySignature } from "../../src/core/signatures/verify";
import type { SignatureAlgorithm } from "../../src/core/signer";
import {
  exportSecret,
  generateNodeKeyPair,
  NodeSigner,
  nodeSign,
  type NodeKeyPair,
} from "../fixtures/node-signer";

const ALGORITHMS: SignatureAlgorithm[] = ["ed25519", "ecdsa-p256", "rsa-pss-sha256"];
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const message = new Uint8Array(32).map((_, i) => i * 7 + 1); // a checkpoint hash stand-in

function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index]! ^= 1;
  return copy;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(SecureLogError);
    return `${(e as SecureLogError).code}: ${(e as SecureLogError).message}`;
  }
  return "no error";
}

// One signer (one key) per algorithm plus a second key for "wrong key" checks.
const signers = new Map<SignatureAlgorithm, NodeSigner>();
const otherPublicKeys = new Map<SignatureAlgorithm, Uint8Array>();
let generated: { privateKeyDer: Uint8Array; publicKeyDer: Uint8Array };

beforeAll(async () => {
  generated = await rsaGenerateKey(2048); // the only slow keygen; reused as the "other" RSA key
  for (const algorithm of ALGORITHMS) {
    signers.set(algorithm, new NodeSigner({ algorithm, labels: ["main"] }));
  }
  otherPublicKeys.set("ed25519", new NodeSigner().getKey("x").publicKey());
  otherPublicKeys.set(
    "ecdsa-p256",
    new NodeSigner({ algorithm: "ecdsa-p256" }).getKey("x").publicKey(),
  );
  otherPublicKeys.set("rsa-pss-sha256", generated.publicKeyDer);
});

describe.each(ALGORITHMS)("%s", (algorithm) => {
  const key = () => signers.get(algorithm)!.getKey("main");
  const pair = (): NodeKeyPair => signers.get(algorithm)!.keyPair("main");

  it("verifies a node:crypto signature", async () => {
    const signature = await key().sign(message);
    expect(await verifySignature(algorithm, key().publicKey(), message, signature)).toBe(true);
  });

  it("signs so that node:crypto verifies, with the same public key", async () => {
    const secret = exportSecret(algorithm, pair().privateKey);
    expect(await publicKeyFor(algorithm, secret)).toEqual(key().publicKey());
    const signature = await signWith(algorithm, secret, message);
    const options =
      algorithm === "ed25519"
        ? [null, pair().publicKey]
        : algorithm === "ecdsa-p256"
          ? ["sha256", { key: pair().publicKey, dsaEncoding: "ieee-p1363" as const }]
          : [
              "sha256",
              {
                key: pair().publicKey,
                padding: constants.RSA_PKCS1_PSS_PADDING,
                saltLength: 32,
              },
            ];
    const [hash, keyArg] = options as [string | null, Parameters<typeof verify>[2]];
    expect(verify(hash, message, keyArg, signature)).toBe(true);
    expect(await verifySignature(algorithm, key().publicKey(), message, signature)).toBe(true);
  });

  it("rejects a flipped bit in the message or the signature", async () => {
    const signature = await key().sign(message);
    const publicKey = key().publicKey();
    expect(await verifySignature(algorithm, publicKey, flipBit(message, 5), signature)).toBe(false);
    for (const index of [0, 31, signature.length - 1]) {
      expect(await verifySignature(algorithm, publicKey, message, flipBit(signature, index))).toBe(
        false,
      );
    }
  });

  it("rejects the signature under another key", async () => {
    const signature = await key().sign(message);
    const other = otherPublicKeys.get(algorithm)!;
    expect(await verifySignature(algorithm, other, message, signature)).toBe(false);
  });

  it("returns false (no throw) for truncated, extended or empty signatures", async () => {
    const signature = await key().sign(message);
    const publicKey = key().publicKey();
    for (const bad of [
      signature.subarray(0, signature.length - 1),
      Uint8Array.of(...signature, 0),
      new Uint8Array(0),
      new Uint8Array(signature.length),
    ]) {
      expect(await verifySignature(algorithm, publicKey, message, bad)).toBe(false);
    }
  });
});

describe("malformed input", () => {
  it("throws invalid for an unknown algorithm, naming it", async () => {
    for (const name of ["rsa-pkcs1-sha256", "Ed25519", ""]) {
      const code = await codeOf(
        verifySignature(name, new Uint8Array(32), message, new Uint8Array(64)),
      );
      expect(code).toMatch(/^invalid: .*unknown signature algorithm/);
      expect(await codeOf(signWith(name, new Uint8Array(32), message))).toMatch(/^invalid/);
      expect(await codeOf(publicKeyFor(name, new Uint8Array(32)))).toMatch(/^invalid/);
    }
  });

  it("throws invalid for malformed ed25519 public keys", async () => {
    const sig = new Uint8Array(64);
    expect(await codeOf(verifySignature("ed25519", new Uint8Array(31), message, sig))).toMatch(
      /^invalid: .*ed25519 public key must be 32 bytes/,
    );
    // y = 2 is not the y-coordinate of any curve point.
    const notAPoint = new Uint8Array(32);
    notAPoint[0] = 2;
    expect(await codeOf(verifySignature("ed25519", notAPoint, message, sig))).toMatch(
      /^invalid: .*ed25519 public key is not a valid/,
    );
  });

  it("throws invalid for malformed ecdsa-p256 public keys", async () => {
    const good = signers.get("ecdsa-p256")!.getKey("main").publicKey();
    const sig = new Uint8Array(64);
    for (const bad of [
      good.subarray(0, 64),
      new Uint8Array(65),
      flipBit(good, 64), // off the curve
      Uint8Array.of(0x05, ...good.subarray(1)), // unknown SEC1 tag
      Uint8Array.of(0x02, ...new Uint8Array(32).fill(0xff)), // x ≥ p
    ]) {
      expect(await codeOf(verifySignature("ecdsa-p256", bad, message, sig))).toMatch(
        /^invalid: .*ecdsa-p256 public key/,
      );
    }
  });

  it("throws invalid for malformed RSA public keys, saying what is wrong", async () => {
    const good = signers.get("rsa-pss-sha256")!.getKey("main").publicKey();
    const sig = new Uint8Array(256);
    const spki = new Uint8Array(
      signers
        .get("rsa-pss-sha256")!
        .keyPair("main")
        .publicKey.export({ format: "der", type: "spki" }),
    );
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /truncated/],
      [good.subarray(0, good.length - 1), /claims/],
      [Uint8Array.of(...good, 0), /trailing bytes/],
      [spki, /expected tag 0x2 for modulus/],
      [Uint8Array.of(0x30, 0x80, 0x02, 0x01, 0x03, 0x00, 0x00), /indefinite length/],
      [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x03), /ends before publicExponent/],
    ];
    // Modulus made even, and exponent 1.
    const even = good.slice();
    even[good.length - 6]! &= 0xfe; // last modulus byte precedes 02 03 01 00 01
    cases.push([even, /modulus is even/]);
    const eOne = Uint8Array.of(...good.subarray(0, good.length - 5), 0x02, 0x01, 0x01);
    eOne[3] -= 2; // outer length (0x82 xx xx) shrinks by 2
    cases.push([eOne, /public exponent 1 /]);
    for (const [bad, problem] of cases) {
      const code = await codeOf(verifySignature("rsa-pss-sha256", bad, message, sig));
      expect(code).toMatch(/^invalid: .*rsa-pss-sha256 public key/);
      expect(code).toMatch(problem);
    }
  });

  it("rejects malformed or inconsistent RSA private keys", async () => {
    const der = exportSecret(
      "rsa-pss-sha256",
      signers.get("rsa-pss-sha256")!.keyPair("main").privateKey,
    );
    const key = parseRsaPrivateKey(der);
    expect(encodeRsaPrivateKey(key)).toEqual(der); // byte-identical DER round trip with OpenSSL
    const wrongCoefficient = encodeRsaPrivateKey({ ...key, qinv: key.qinv + 1n });
    expect(await codeOf(signWith("rsa-pss-sha256", wrongCoefficient, message))).toMatch(
      /^invalid: .*coefficient/,
    );
    const swapped = encodeRsaPrivateKey({ ...key, dp: key.dq, dq: key.dp });
    expect(await codeOf(signWith("rsa-pss-sha256", swapped, message))).toMatch(/exponent1/);
    expect(await codeOf(signWith("rsa-pss-sha256", der.subarray(0, 100), message))).toMatch(
      /^invalid: .*private key/,
    );
    expect(await codeOf(publicKeyFor("ed25519", new Uint8Array(31)))).toMatch(/must be 32 bytes/);
    expect(await codeOf(signWith("ecdsa-p256", new Uint8Array(32), message))).toMatch(
      /not in \[1, n - 1\]/,
    );
  });
});

describe("rsa-pss-sha256 policy", () => {
  it("rejects a 1024-bit key with a clear error", async () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const publicKey = new Uint8Array(small.publicKey.export({ format: "der", type: "pkcs1" }));
    const signature = nodeSign("rsa-pss-sha256", small.privateKey, message);
    expect(await codeOf(verifySignature("rsa-pss-sha256", publicKey, message, signature))).toMatch(
      /^invalid: .*modulus is 1024 bits; at least 2048 required/,
    );
    const secret = exportSecret("rsa-pss-sha256", small.privateKey);
    expect(await codeOf(signWith("rsa-pss-sha256", secret, message))).toMatch(/1024 bits/);
  });

  it("rejects moduli above 4096 bits, as the reference's rsa crate does", async () => {
    const huge = encodeRsaPublicKey({ n: (1n << 4200n) + 1n, e: 65537n });
    expect(
      await codeOf(verifySignature("rsa-pss-sha256", huge, message, new Uint8Array(526))),
    ).toMatch(/modulus is 4201 bits; at most 4096/);
  });

  it("rejects PSS signatures with salt length 0 or 20 (32 required)", async () => {
    const { privateKey } = signers.get("rsa-pss-sha256")!.keyPair("main");
    const publicKey = signers.get("rsa-pss-sha256")!.getKey("main").publicKey();
    for (const saltLength of [0, 20, 64]) {
      const signature = sign("sha256", message, {
        key: privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength,
      });
      expect(await verifySignature("rsa-pss-sha256", publicKey, message, signature)).toBe(false);
    }
  });

  it("is deterministic for a given salt and rejects salts of other lengths", async () => {
    const secret = exportSecret(
      "rsa-pss-sha256",
      signers.get("rsa-pss-sha256")!.keyPair("main").privateKey,
    );
    const salt = new Uint8Array(32).fill(9);
    const a = await rsaPssSign(secret, message, salt);
    expect(await rsaPssSign(secret, message, salt)).toEqual(a);
    expect(await rsaPssSign(secret, message)).not.toEqual(a);
    expect(await codeOf(rsaPssSign(secret, message, new Uint8Array(20)))).toMatch(
      /salt must be 32/,
    );
  });

  it("generates keys node:crypto accepts, both ways", async () => {
    const publicKey = createPublicKey({
      key: Buffer.from(generated.publicKeyDer),
      format: "der",
      type: "pkcs1",
    });
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(publicKey.asymmetricKeyDetails?.publicExponent).toBe(65537n);
    expect(parseRsaPublicKey(generated.publicKeyDer).e).toBe(65537n);
    // OpenSSL's own primality test on our factors.
    const { p, q } = parseRsaPrivateKey(generated.privateKeyDer);
    expect(checkPrimeSync(p) && checkPrimeSync(q)).toBe(true);
    const signature = await signWith("rsa-pss-sha256", generated.privateKeyDer, message);
    const options = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify("sha256", message, options, signature)).toBe(true);
    // And node signs with our private key DER.
    const privateKey = createPrivateKey({
      key: Buffer.from(generated.privateKeyDer),
      format: "der",
      type: "pkcs1",
    });
    const theirs = nodeSign("rsa-pss-sha256", privateKey, message);
    expect(await verifySignature("rsa-pss-sha256", generated.publicKeyDer, message, theirs)).toBe(
      true,
    );
  });
});

describe("ecdsa-p256 details", () => {
  it("accepts the high-S twin (n - s) of a valid signature", async () => {
    const key = signers.get("ecdsa-p256")!.getKey("main");
    const signature = await key.sign(message);
    const s = BigInt("0x" + Buffer.from(signature.subarray(32)).toString("hex"));
    const twin = Uint8Array.of(
      ...signature.subarray(0, 32),
      ...Buffer.from((P256_N - s).toString(16).padStart(64, "0"), "hex"),
    );
    expect(twin).not.toEqual(signature);
    expect(await verifySignature("ecdsa-p256", key.publicKey(), message, twin)).toBe(true);
  });

  it("accepts a compressed SEC1 public key", async () => {
    const key = signers.get("ecdsa-p256")!.getKey("main");
    const full = key.publicKey();
    const compressed = Uint8Array.of(2 + (full[64]! & 1), ...full.subarray(1, 33));
    const signature = await key.sign(message);
    expect(await verifySignature("ecdsa-p256", compressed, message, signature)).toBe(true);
  });

  it("rejects r or s equal to zero or n", async () => {
    const key = signers.get("ecdsa-p256")!.getKey("main");
    const signature = await key.sign(message);
    const n = Buffer.from(P256_N.toString(16), "hex");
    for (const bad of [
      Uint8Array.of(...new Uint8Array(32), ...signature.subarray(32)),
      Uint8Array.of(...signature.subarray(0, 32), ...n),
    ]) {
      expect(await verifySignature("ecdsa-p256", key.publicKey(), message, bad)).toBe(false);
    }
  });
});

describe("ed25519 details", () => {
  it("rejects a non-canonical S (S + L)", async () => {
    const key = signers.get("ed25519")!.getKey("main");
    const signature = await key.sign(message);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const sLe = signature.subarray(32);
    const s = BigInt("0x" + Buffer.from(sLe).reverse().toString("hex"));
    const sPlusL = Buffer.from((s + L).toString(16).padStart(64, "0"), "hex").reverse();
    const bad = Uint8Array.of(...signature.subarray(0, 32), ...sPlusL);
    expect(await verifySignature("ed25519", key.publicKey(), message, bad)).toBe(false);
  });
});

describe("NodeSigner", () => {
  it("throws key-not-found for labels outside a fixed set", () => {
    const signer = new NodeSigner({ labels: ["a"] });
    expect(() => signer.getKey("b")).toThrow(
      expect.objectContaining({ tag: "key-not-found", val: "b" }),
    );
    expect(signer.getKey("a").publicKey()).toEqual(signer.getKey("a").publicKey());
  });

  it("creates keys on first use without a fixed set", () => {
    const signer = new NodeSigner({ algorithm: "ecdsa-p256" });
    const key = signer.getKey("anything");
    expect(key.algorithm()).toBe("ecdsa-p256");
    expect(key.publicKey()).toHaveLength(65);
    expect(generateNodeKeyPair("ed25519").publicKey.asymmetricKeyType).toBe("ed25519");
  });
});
