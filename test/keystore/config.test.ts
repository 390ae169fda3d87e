import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/core/hex";
import {
  ENV,
  INSECURE_DEV_SEED,
  NO_SECRET_MESSAGE,
  environmentRecord,
  readKeystoreConfig,
  type Environment,
  type ReadFile,
} from "../../src/keystore/config";
import { KeystoreError } from "../../src/keystore/errors";

const SEED_HEX = "3c".repeat(32);
const text = (s: string) => new TextEncoder().encode(s);

/** The KeystoreError `readKeystoreConfig` throws; fails if it returns. */
function refusal(env: Environment, readFile?: ReadFile): KeystoreError {
  try {
    readKeystoreConfig(env, readFile);
  } catch (e) {
    expect(e).toBeInstanceOf(KeystoreError);
    return e as KeystoreError;
  }
  throw new Error("readKeystoreConfig accepted the configuration");
}

describe("readKeystoreConfig", () => {
  it("uses ed25519 by default and the seed from SECURE_LOG_KEYSTORE_SEED", () => {
    const config = readKeystoreConfig({ [ENV.seed]: SEED_HEX });
    expect(config.algorithm).toBe("ed25519");
    expect(config.insecure).toBe(false);
    expect(config.secret.kind === "seed" && toHex(config.secret.seed)).toBe(SEED_HEX);
  });

  it.each(["ed25519", "ecdsa-p256", "rsa-pss-sha256"])("accepts ALG=%s", (alg) => {
    expect(readKeystoreConfig({ [ENV.algorithm]: alg, [ENV.seed]: SEED_HEX }).algorithm).toBe(alg);
  });

  it("refuses without a secret, with the message that says what to set", () => {
    const e = refusal({});
    expect(e.payload).toEqual({ tag: "access-denied", val: NO_SECRET_MESSAGE });
    expect(NO_SECRET_MESSAGE).toBe(
      "no key secret: set SECURE_LOG_KEYSTORE_SEED (64 hex characters) or SECURE_LOG_KEYSTORE_KEY_FILE",
    );
    expect(refusal({ [ENV.insecureDev]: "0" }).payload.val).toBe(NO_SECRET_MESSAGE);
  });

  it("uses the public dev seed only with SECURE_LOG_KEYSTORE_INSECURE_DEV=1, and marks it", () => {
    const config = readKeystoreConfig({ [ENV.insecureDev]: "1" });
    expect(config.insecure).toBe(true);
    expect(config.secret).toEqual({ kind: "seed", seed: INSECURE_DEV_SEED });
    expect(INSECURE_DEV_SEED.length).toBe(32);
    expect(refusal({ [ENV.insecureDev]: "yes" }).payload.val).toMatch(/must be 1 \(on\)/);
  });

  it("prefers a real secret over the dev switch", () => {
    const config = readKeystoreConfig({ [ENV.insecureDev]: "1", [ENV.seed]: SEED_HEX });
    expect(config.insecure).toBe(false);
  });

  it.each([
    ["too short", SEED_HEX.slice(0, 62), /exactly 64 hex characters.*it has 62 characters$/],
    ["too long", SEED_HEX + "00", /it has 66 characters$/],
    [
      "not hex",
      SEED_HEX.slice(0, 60) + "xyzw",
      /64 characters and contains characters that are not hex/,
    ],
    ["with spaces", ` ${SEED_HEX.slice(2)} `, /it has 64 characters and contains/],
    ["empty", "", /it has 0 characters/],
  ])(
    "refuses a seed that is %s, naming the variable and never the value",
    (_why, value, message) => {
      const e = refusal({ [ENV.seed]: value });
      expect(e.code).toBe("access-denied");
      expect(e.payload.val).toMatch(/^SECURE_LOG_KEYSTORE_SEED must be/);
      expect(e.payload.val).toMatch(message);
      if (value.length >= 8) {
        expect(e.payload.val).not.toContain(value.trim().slice(0, 8));
        expect(e.message).not.toContain(value.trim().slice(0, 8));
      }
    },
  );

  it("refuses an unknown algorithm, listing the valid ones", () => {
    const e = refusal({ [ENV.algorithm]: "rsa-pkcs1", [ENV.seed]: SEED_HEX });
    expect(e.payload).toEqual({
      tag: "unsupported-algorithm",
      val: 'SECURE_LOG_KEYSTORE_ALG="rsa-pkcs1" is not supported; use one of ed25519, ecdsa-p256, rsa-pss-sha256 (default ed25519)',
    });
    expect(refusal({ [ENV.algorithm]: "ED25519", [ENV.seed]: SEED_HEX }).code).toBe(
      "unsupported-algorithm",
    );
    const pasted = refusal({ [ENV.algorithm]: SEED_HEX, [ENV.seed]: SEED_HEX }).payload.val;
    expect(pasted).toMatch(/^SECURE_LOG_KEYSTORE_ALG \(a 64-character value, not shown\) is not/);
    expect(pasted).not.toContain(SEED_HEX.slice(0, 16));
  });

  it("refuses both a seed and a key file", () => {
    const e = refusal({ [ENV.seed]: SEED_HEX, [ENV.keyFile]: "/keys/seed" }, () => text(SEED_HEX));
    expect(e.payload.val).toMatch(
      /set only one of SECURE_LOG_KEYSTORE_SEED and SECURE_LOG_KEYSTORE_KEY_FILE/,
    );
  });
});

describe("readKeystoreConfig: key files", () => {
  const files = (entries: Record<string, string | Uint8Array>): ReadFile => {
    return (path) => {
      const entry = entries[path];
      return typeof entry === "string" ? text(entry) : entry;
    };
  };

  it("reads a seed file through readFile", () => {
    const config = readKeystoreConfig(
      { [ENV.keyFile]: "/keys/seed", [ENV.algorithm]: "ecdsa-p256" },
      files({ "/keys/seed": `# seed\n${SEED_HEX}\n` }),
    );
    expect(config.algorithm).toBe("ecdsa-p256");
    expect(config.secret.kind === "seed" && toHex(config.secret.seed)).toBe(SEED_HEX);
  });

  it("reads an RSA key file for rsa-pss-sha256 only", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const pem = rsa.export({ format: "pem", type: "pkcs1" }) as string;
    const read = files({ "/keys/rsa.pem": pem });
    const env = { [ENV.keyFile]: "/keys/rsa.pem" };
    const config = readKeystoreConfig({ ...env, [ENV.algorithm]: "rsa-pss-sha256" }, read);
    expect(config.secret).toEqual({
      kind: "rsa-private-key",
      der: new Uint8Array(rsa.export({ format: "der", type: "pkcs1" })),
    });
    const e = refusal(env, read);
    expect(e.code).toBe("access-denied");
    expect(e.payload.val).toMatch(
      /holds an RSA private key, which serves only .*rsa-pss-sha256 \(the algorithm is ed25519\)/,
    );
  });

  it("names the variable and path when the file is missing, unreadable or malformed", () => {
    const env = { [ENV.keyFile]: "/keys/seed" };
    expect(refusal(env, files({})).payload.val).toBe(
      'SECURE_LOG_KEYSTORE_KEY_FILE ("/keys/seed") does not exist (the path must lie under a directory preopened for this component)',
    );
    const failing: ReadFile = () => {
      throw new Error("read /keys/seed: access (permission denied)");
    };
    expect(refusal(env, failing).payload.val).toBe(
      'SECURE_LOG_KEYSTORE_KEY_FILE ("/keys/seed") cannot be read: read /keys/seed: access (permission denied)',
    );
    const bad = refusal(env, files({ "/keys/seed": SEED_HEX.slice(0, 60) }));
    expect(bad.payload.val).toMatch(
      /^SECURE_LOG_KEYSTORE_KEY_FILE \("\/keys\/seed"\): the seed line/,
    );
    expect(bad.payload.val).not.toContain(SEED_HEX.slice(0, 8));
    expect(refusal(env).payload.val).toMatch(/no file system/);
    expect(refusal({ [ENV.keyFile]: "" }).payload.val).toMatch(/is empty; set it to a path/);
  });
});

describe("environmentRecord", () => {
  it("turns wasi:cli/environment pairs into a record", () => {
    expect(
      environmentRecord([
        ["A", "1"],
        ["B", "2"],
        ["A", "3"],
      ]),
    ).toEqual({ A: "3", B: "2" });
  });
});
