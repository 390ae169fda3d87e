// An evidence bundle as something to verify: loaded into an in-memory store
// and checked by the same pure core a live log runs (no store, no wasm),
// with the bundle's public keys, pinned to the auditor's when given.

import { PublicKeyring } from "../src/bundle/keyring";
import { BundleError, loadBundle, type LoadedBundle } from "../src/bundle/load";
import { describe } from "../src/core/errors";
import { parseHexExact } from "../src/core/hex";
import { SecureLog } from "../src/core/log";
import { verifySignature } from "../src/core/signatures/verify";
import { readInputText } from "./input";
import { fingerprint } from "./keys";
import { CliError, EXIT, logErrorOf, usageError } from "./output";
import type { StreamResult, VerifyTarget } from "./verify-stream";

export interface KeyReport {
  identity: string;
  algorithm: string;
  fingerprint: string;
  /** Whether it is one of --trust-key's; undefined when no keys were pinned. */
  trusted?: boolean;
}

export interface BundleSource {
  bundle: LoadedBundle;
  target: VerifyTarget;
  keys: KeyReport[];
  /** Signer problems of a stream (a key missing or not trusted), before its verification. */
  keyFailure(stream: string): Promise<Pick<StreamResult, "failure" | "brokenSegment"> | undefined>;
}

/** --trust-key values: fingerprints ("sha256:" + 64 hex) or whole public keys in hex. */
async function trustedFingerprints(values: readonly string[]): Promise<Set<string>> {
  const set = new Set<string>();
  for (const v of values) {
    if (/^sha256:[0-9a-f]{64}$/.test(v)) set.add(v);
    else {
      const bytes = parseHexExact(v, v.length / 2);
      if (typeof bytes === "string" || v.length === 0) {
        throw usageError(`--trust-key '${v}' is neither sha256:<64 hex> nor a public key in hex`);
      }
      set.add(await fingerprint(bytes));
    }
  }
  return set;
}

/** The bundle in FILE (`-`: stdin), ready to verify; `trust` pins its signers' keys. */
export async function openBundle(file: string, trust: readonly string[]): Promise<BundleSource> {
  return bundleSource(await readInputText(file, `bundle ${file}`), file, trust);
}

export async function bundleSource(
  text: string,
  file: string,
  trust: readonly string[],
): Promise<BundleSource> {
  let bundle: LoadedBundle;
  try {
    bundle = loadBundle(text);
  } catch (e) {
    if (!(e instanceof BundleError)) throw e;
    // Rows that cannot coexist were edited; anything else is not a bundle we wrote.
    const code = e.kind === "conflict" ? EXIT.verifyFailed : EXIT.usage;
    throw new CliError(`bundle ${file}: ${e.message}`, code);
  }
  const listed = new Set(bundle.header.streams);
  for (const [seqno, row] of bundle.store.rawTables().entries) {
    if (!listed.has(row.streamId)) {
      throw new CliError(
        `bundle ${file}: entry ${seqno} belongs to stream '${row.streamId}', which the header does not list`,
        EXIT.verifyFailed,
      );
    }
  }
  const keyring = new PublicKeyring(bundle.keys);
  const pinned = trust.length > 0 ? await trustedFingerprints(trust) : undefined;
  const keys = await Promise.all(
    bundle.keys.map(async (k): Promise<KeyReport> => {
      // A key that cannot check anything is a broken bundle, named as such up front.
      await verifySignature(k.algorithm, k.publicKey, new Uint8Array(32), new Uint8Array()).catch(
        (e: unknown) => {
          const le = logErrorOf(e);
          const why = le === undefined ? String(e) : describe(le);
          throw usageError(`bundle ${file}: the public key of '${k.identity}' is unusable: ${why}`);
        },
      );
      const print = await fingerprint(k.publicKey);
      return {
        identity: k.identity,
        algorithm: k.algorithm,
        fingerprint: print,
        trusted: pinned === undefined ? undefined : pinned.has(print),
      };
    }),
  );
  return {
    bundle,
    target: new SecureLog({ store: bundle.store, signer: keyring }),
    keys,
    async keyFailure(stream) {
      for (const seg of bundle.store.secureLogSegmentsList(stream)) {
        if (seg.signature === undefined) continue;
        const id = seg.signerIdentity ?? "";
        const key = keys.find((k) => k.identity === id);
        const brokenSegment = seg.segmentId!;
        if (key === undefined) {
          return {
            failure: `segment ${brokenSegment} is signed by '${id}', but the bundle holds no public key for it`,
            brokenSegment,
          };
        }
        if (key.trusted === false) {
          return {
            failure: `segment ${brokenSegment} is signed by '${id}' with key ${key.fingerprint}, which is not among the trusted keys (--trust-key)`,
            brokenSegment,
          };
        }
      }
      return undefined;
    },
  };
}
