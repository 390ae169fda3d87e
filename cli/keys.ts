// The signers' public keys on the host side: the same derivation the
// keystore-software component runs (src/keystore), from the same environment,
// so `export` and `public-key` can name the key an auditor should trust.
// The private half never leaves SoftwareSigner.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BundleKey } from "../src/bundle/format";
import { sha256 } from "../src/core/hash";
import { toHex } from "../src/core/hex";
import { KeystoreError } from "../src/keystore/errors";
import { SoftwareSigner } from "../src/keystore/software-signer";
import { GUEST_DATA_DIR } from "../verify/wasi-imports";
import { CliError, EXIT } from "./output";

/** Key files are named by their path inside the component: under /data, the data directory. */
function guestFileReader(dataDir: string) {
  return (path: string): Uint8Array | undefined => {
    const prefix = `${GUEST_DATA_DIR}/`;
    if (!path.startsWith(prefix)) return undefined;
    try {
      return new Uint8Array(readFileSync(join(dataDir, path.slice(prefix.length))));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  };
}

/** The public key the stack's keystore signs `label` with. */
export async function publicKeyOf(label: string, dataDir: string): Promise<BundleKey> {
  try {
    const signer = SoftwareSigner.fromEnvironment(process.env, guestFileReader(dataDir), (m) =>
      process.stderr.write(`secure-log: warning: ${m}\n`),
    );
    const key = await signer.getKey(label);
    return { identity: label, algorithm: key.algorithm(), publicKey: key.publicKey() };
  } catch (e) {
    if (e instanceof KeystoreError) throw new CliError(`keystore: ${e.payload.val}`, EXIT.store);
    throw e;
  }
}

/** "sha256:" and the hex SHA-256 of the public key: short enough to compare by eye. */
export async function fingerprint(publicKey: Uint8Array): Promise<string> {
  return `sha256:${toHex(await sha256(publicKey))}`;
}
