// The baseline: the same pure core (SecureLog) in plain Node, over the
// in-process MemoryStore and a node:crypto keystore, with the head file on disk.
// Memory has no directory, so a data directory is a key into a process-wide
// registry: a new instance on the same directory gets a new SecureLog over the
// same store and keys, which is what reopening a file store amounts to.

import { join } from "node:path";
import { SecureLog } from "../src/core/log";
import type { SignatureAlgorithm, Signer } from "../src/core/signer";
import { FsHeadStorage } from "../src/node/head-storage-fs";
import { MemoryStore } from "../src/stores/memory-store";
import { NodeSigner } from "../test/fixtures/node-signer";
import type { InstanceOptions, Stack, StackApi, StoredEntry } from "./stack-api";

const ALGORITHMS: readonly SignatureAlgorithm[] = ["ed25519", "ecdsa-p256", "rsa-pss-sha256"];

interface Persisted {
  store: MemoryStore;
  /** One key set per (algorithm, secret), as a seeded keystore derives it. */
  signers: Map<string, NodeSigner>;
}

/** Refuses like keystore-software does when it is given no secret. */
const noSecret: Signer = {
  getKey() {
    throw {
      tag: "access-denied",
      val: "no key material: set SECURE_LOG_KEYSTORE_SEED or SECURE_LOG_KEYSTORE_KEY_FILE",
    };
  },
};

export class NodeStack implements Stack {
  readonly name = "node baseline (SecureLog + MemoryStore + NodeSigner)";
  readonly storeConfig = "secure-log.jsonl";
  private readonly dirs = new Map<string, Persisted>();

  private persisted(dataDir: string): Persisted {
    let p = this.dirs.get(dataDir);
    if (p === undefined) {
      p = { store: new MemoryStore(), signers: new Map() };
      this.dirs.set(dataDir, p);
    }
    return p;
  }

  private signer(p: Persisted, env: Record<string, string>): Signer {
    const secret = env.SECURE_LOG_KEYSTORE_SEED ?? env.SECURE_LOG_KEYSTORE_KEY_FILE;
    if (secret === undefined || secret === "") return noSecret;
    const alg = (env.SECURE_LOG_KEYSTORE_ALG ?? "ed25519") as SignatureAlgorithm;
    if (!ALGORITHMS.includes(alg)) {
      return {
        getKey() {
          throw { tag: "unsupported-algorithm", val: alg };
        },
      };
    }
    const key = `${alg}\u0000${secret}`;
    let signer = p.signers.get(key);
    if (signer === undefined) {
      signer = new NodeSigner({ algorithm: alg });
      p.signers.set(key, signer);
    }
    return signer;
  }

  instantiate({ dataDir, env }: InstanceOptions): Promise<StackApi> {
    const p = this.persisted(dataDir);
    return Promise.resolve(
      new SecureLog({
        store: p.store,
        signer: this.signer(p, env),
        heads: FsHeadStorage.forStore(join(dataDir, this.storeConfig)),
      }),
    );
  }

  tamperEntry(dataDir: string, { seqno }: StoredEntry): Promise<string> {
    const row = this.dirs.get(dataDir)?.store.rawTables().entries.get(seqno);
    if (row === undefined) throw new Error(`no entry ${seqno} in ${dataDir}`);
    if (row.payload.length > 0) {
      row.payload[0]! ^= 0x01;
      return Promise.resolve(`entry ${seqno}: payload byte 0 flipped in memory`);
    }
    row.entryHash[0]! ^= 0x01;
    return Promise.resolve(`entry ${seqno}: entry hash byte 0 flipped in memory`);
  }
}
