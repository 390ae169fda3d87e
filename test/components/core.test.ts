// The core component end to end in Node: built by scripts/build.ts (cached),
// transpiled by jco, linked with the in-process MemoryStore and a node:crypto
// keystore through jco's import shapes, and preview2-shim for WASI.

import { verify as nodeVerify } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toWitError, witResult } from "../../components/core/src/boundary";
import { buildComponents } from "../../scripts/build";
import { errors, type LogError } from "../../src/core/errors";
import type {
  AppendResult,
  CheckpointFields,
  EntryFields,
  InclusionProof,
  SegmentInfo,
  Severity,
  StreamInfo,
} from "../../src/core/model";
import { MemoryStore } from "../../src/stores/memory-store";
import { NodeSigner } from "../fixtures/node-signer";
import { vectors } from "../fixtures/vectors";
import { importInterface, instantiateComponent, transpileComponent } from "./harness";

// The exports as jco presents them: synchronous, `err` thrown with `payload`.
interface Core {
  encoder: {
    encodeEntry(f: EntryFields): Uint8Array;
    encodeCheckpoint(f: CheckpointFields): Uint8Array;
    name(): string;
  };
  log: {
    open(config: string): void;
    append(s: string, e: string, sev: Severity, p: string, payload: Uint8Array): AppendResult;
    appendWithEncoding(
      s: string,
      e: string,
      sev: Severity,
      p: string,
      payload: Uint8Array,
      enc: string,
    ): AppendResult;
    read(seqno: bigint): EntryFields;
    head(stream: string): bigint | undefined;
    verifyChain(stream: string, from: bigint, to: bigint): void;
    closeSegment(stream: string): SegmentInfo;
    listSegments(stream: string): SegmentInfo[];
    readSegment(id: bigint): SegmentInfo;
    buildInclusionProof(seqno: bigint): InclusionProof;
    verifyInclusionProof(proof: InclusionProof, root: Uint8Array): void;
    createStream(stream: string, tier: string, description: string | undefined): void;
    listStreams(): StreamInfo[];
    deprecateStream(stream: string): void;
  };
  checkpoint: {
    signSegment(identity: string, segmentId: bigint): [Uint8Array, Uint8Array];
    verifySegmentSignature(segmentId: bigint): Uint8Array;
    verifyCheckpointChain(stream: string): number;
  };
  logger: {
    log(rec: {
      severity: Severity;
      category: string;
      producer: string;
      message: string;
      fields: { key: string; value: string }[];
      timestampRfc3339: string;
    }): void;
    flush(): void;
    backendName(): string;
  };
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let wasmPath = "";
const dirs: string[] = [];

beforeAll(async () => {
  const [core] = await buildComponents(["core"]);
  wasmPath = core!.path;
  await transpileComponent(wasmPath);
}, 600_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Running {
  core: Core;
  store: MemoryStore;
  signer: NodeSigner;
  /** Host directory preopened as /data. */
  dir: string;
}

/** A fresh core instance over its own store, keystore and /data directory. */
async function startCore(
  options: { env?: Record<string, string>; labels?: string[] } = {},
): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), "secure-log-core-"));
  dirs.push(dir);
  const store = new MemoryStore();
  const signer = new NodeSigner({ labels: options.labels });
  // The `key` resource: jco hands the guest a handle to an instance of this class.
  class Key {
    constructor(private readonly key: ReturnType<NodeSigner["getKey"]>) {}
    algorithm() {
      return this.key.algorithm();
    }
    publicKey() {
      return this.key.publicKey();
    }
    sign(message: Uint8Array) {
      return this.key.sign(message);
    }
  }
  const keystore = importInterface({ getKey: (label: string) => new Key(signer.getKey(label)) });
  const core = await instantiateComponent<Core>(wasmPath, {
    preopens: { "/data": dir },
    env: options.env ?? { SECURE_LOG_BOOT_ID: "boot-test" },
    imports: {
      "secure-log:log/store": importInterface(store),
      "keys:keystore/signer": { ...keystore, Key },
      "secure-log:log/encoder": unusedEncoder,
    },
  });
  return { core, store, signer, dir };
}

// The world imports secure-log:log/encoder because the store `use`s its
// severity type, and componentize-js imports every function of an imported
// interface. The core encodes with its own code, so these must never run.
const never = (name: string) => () => {
  throw new Error(`the core called its imported encoder's ${name}`);
};
const unusedEncoder = {
  encodeEntry: never("encode-entry"),
  encodeCheckpoint: never("encode-checkpoint"),
  name: never("name"),
};

/** The `log-error` a call reports (fails if it succeeds or traps). */
function failure(work: () => unknown): LogError {
  try {
    work();
  } catch (e) {
    if (typeof e === "object" && e !== null && "payload" in e) return e.payload as LogError;
    throw e;
  }
  throw new Error("expected the call to fail, and it succeeded");
}

describe("build", () => {
  it("takes an unchanged component from the cache", async () => {
    const [again] = await buildComponents(["core"]);
    expect(again).toMatchObject({ cached: true, path: wasmPath });
    expect(again!.seconds).toBeLessThan(10);
  });
});

describe("encoder through the component", () => {
  it("reproduces every golden entry and checkpoint byte for byte", async () => {
    const { core } = await startCore();
    expect(core.encoder.name()).toBe("cbor");
    expect(vectors.entries.length).toBeGreaterThan(0);
    for (const v of vectors.entries) {
      expect(Buffer.from(core.encoder.encodeEntry(v.fields)).toString("hex")).toBe(
        Buffer.from(v.encoded).toString("hex"),
      );
    }
    expect(vectors.checkpoints.length).toBeGreaterThan(0);
    for (const v of vectors.checkpoints) {
      expect(Buffer.from(core.encoder.encodeCheckpoint(v.fields)).toString("hex")).toBe(
        Buffer.from(v.encoded).toString("hex"),
      );
    }
  });
});

describe("log through the component", () => {
  it("appends, reads, verifies, seals, proves, signs and checks the checkpoint chain", async () => {
    const { core, signer, dir } = await startCore();
    const { log, checkpoint } = core;
    log.open("/data/audit.db");
    expect(log.head("a")).toBeUndefined();

    const first = log.append("a", "login", "info", "sshd", utf8("alice"));
    expect(first.seqno).toBe(1n);
    expect(first.entryHash).toHaveLength(32);
    log.append("b", "e", "debug", "p", utf8("other stream"));
    const third = log.appendWithEncoding("a", "e", "notice", "p", utf8("{}"), "json");
    expect(log.head("a")).toBe(3n);

    const entry = log.read(1n);
    expect(entry).toMatchObject({
      streamId: "a",
      seqno: 1n,
      severity: "info",
      bootId: "boot-test",
    });
    expect(entry.sessionId).toMatch(UUID);
    expect(entry.timestampRfc3339).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+00:00$/);
    expect(Math.abs(Date.parse(entry.timestampRfc3339) - Date.now())).toBeLessThan(60_000);
    expect(Buffer.from(entry.payload).toString()).toBe("alice");
    expect(log.read(3n)).toMatchObject({ payloadEncoding: "json", sessionId: entry.sessionId });
    expect(log.read(3n).prevEntryHash).toEqual(first.entryHash);
    log.verifyChain("a", 1n, 3n);

    const segment = log.closeSegment("a");
    expect(segment).toMatchObject({ segmentId: 1n, streamId: "a", seqStart: 1n, seqEnd: 3n });
    expect(log.listSegments("a").map((s) => s.segmentId)).toEqual([1n]);
    expect(log.readSegment(1n).merkleRoot).toEqual(segment.merkleRoot);

    for (const seqno of [1n, 3n]) {
      const proof = log.buildInclusionProof(seqno);
      expect(proof.segmentId).toBe(1n);
      log.verifyInclusionProof(proof, segment.merkleRoot);
    }
    expect(log.buildInclusionProof(3n).entryHash).toEqual(third.entryHash);

    const [hash, signature] = checkpoint.signSegment("ops", 1n);
    const { publicKey } = signer.keyPair("ops");
    expect(nodeVerify(null, hash, publicKey, signature)).toBe(true);
    expect(checkpoint.verifySegmentSignature(1n)).toEqual(hash);
    expect(checkpoint.verifyCheckpointChain("a")).toBe(1);

    // The anti-rollback head sits beside the store, in the preopened directory.
    const headFile = join(dir, "audit.db.heads.json");
    expect(existsSync(headFile)).toBe(true);
    const heads = JSON.parse(readFileSync(headFile, "utf8")) as {
      records: { stream_id: string; checkpoint_hash_hex: string }[];
    };
    expect(heads.records).toEqual([
      expect.objectContaining({
        stream_id: "a",
        checkpoint_hash_hex: Buffer.from(hash).toString("hex"),
      }),
    ]);
  });

  it("creates, lists and deprecates streams", async () => {
    const { log } = (await startCore()).core;
    log.open(":memory:");
    log.createStream("audit", "protected", "who did what");
    log.append("audit", "e", "info", "p", utf8("x"));
    log.deprecateStream("audit");
    const [info] = log.listStreams();
    expect(info).toMatchObject({ name: "audit", tier: "protected", description: "who did what" });
    expect(typeof info!.deprecatedAt).toBe("bigint");
    expect(failure(() => log.append("audit", "e", "info", "p", utf8("y")))).toMatchObject({
      tag: "invalid",
      val: expect.stringContaining("deprecated"),
    });
  });

  it("draws a random boot id when SECURE_LOG_BOOT_ID is not set", async () => {
    const { log } = (await startCore({ env: {} })).core;
    log.open(":memory:");
    log.append("a", "e", "info", "p", utf8("x"));
    expect(log.read(1n).bootId).toMatch(/^rand-[0-9a-f-]{36}$/);
  });
});

describe("errors reach the caller as log-error variants", () => {
  it("maps every failure to its variant, never a trap", async () => {
    const { core } = await startCore({ labels: ["ops"] });
    const { log, checkpoint } = core;
    // Before open the store refuses: its diagnostic arrives as storage.
    expect(failure(() => log.append("a", "e", "info", "p", utf8("x")))).toMatchObject({
      tag: "storage",
      val: expect.stringContaining("store not initialised"),
    });
    // list-segments has no error in WIT: the failure goes to stderr, the list is empty.
    expect(log.listSegments("a")).toEqual([]);
    expect(failure(() => log.open(""))).toMatchObject({ tag: "invalid" });
    log.open("/data/x.db");

    expect(failure(() => log.verifyChain("nope", 1n, 10n))).toEqual({
      tag: "stream-not-found",
      val: "nope",
    });
    expect(failure(() => log.closeSegment("a"))).toEqual({ tag: "empty-segment", val: "a" });
    expect(failure(() => log.readSegment(9n))).toEqual({ tag: "segment-not-found", val: 9n });
    expect(failure(() => log.read(42n))).toEqual({ tag: "entry-not-found", val: 42n });
    expect(failure(() => log.deprecateStream("ghost"))).toEqual({
      tag: "stream-not-found",
      val: "ghost",
    });

    log.append("a", "e", "info", "p", utf8("x"));
    const segment = log.closeSegment("a");
    const proof = log.buildInclusionProof(1n);
    expect(failure(() => log.verifyInclusionProof(proof, new Uint8Array(5)))).toEqual({
      tag: "invalid",
      val: "expected root must be 32 bytes, got 5",
    });
    expect(failure(() => log.verifyInclusionProof(proof, new Uint8Array(32).fill(7)))).toEqual({
      tag: "inclusion-mismatch",
      val: { seqno: 1n, segmentId: segment.segmentId },
    });
    // The keystore's key-not-found comes back as invalid, naming the key.
    expect(failure(() => checkpoint.signSegment("stranger", 1n))).toMatchObject({
      tag: "invalid",
      val: expect.stringContaining("key-not-found"),
    });
    expect(failure(() => checkpoint.verifyCheckpointChain("a"))).toMatchObject({
      tag: "invalid",
    });
    expect(log.listSegments("nope")).toEqual([]);
    // The instance is still usable after every failure.
    expect(log.append("a", "e", "info", "p", utf8("y")).seqno).toBe(2n);
  });
});

describe("the error boundary (boundary.ts, in Node)", () => {
  it("keeps a SecureLogError's variant and reports anything else as storage", async () => {
    expect(toWitError(errors.segmentNotFound(3n))).toEqual({
      payload: { tag: "segment-not-found", val: 3n },
    });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      expect(toWitError(new TypeError("boom")).payload).toEqual({
        tag: "storage",
        val: "unexpected error in the log core: TypeError: boom",
      });
      // An own `payload` property is what componentize-js turns into `err`.
      await expect(
        witResult(() => {
          throw new RangeError("late");
        }),
      ).rejects.toHaveProperty("payload.tag", "storage");
    } finally {
      console.error = quiet;
    }
    expect(await witResult(async () => 7)).toBe(7);
  });
});

describe("logger through the component", () => {
  it("appends each record to its category's stream", async () => {
    const { core, store } = await startCore();
    core.log.open(":memory:");
    expect(core.logger.backendName()).toBe("secure-log:v1");
    core.logger.log({
      severity: "warning",
      category: "auth.ssh",
      producer: "sshd",
      message: "bad password",
      fields: [{ key: "user", value: "root" }],
      timestampRfc3339: "",
    });
    core.logger.log({
      severity: "info",
      category: "",
      producer: "app",
      message: "plain",
      fields: [],
      timestampRfc3339: "",
    });
    core.logger.flush();
    const rows = [...store.rawTables().entries.values()];
    expect(rows.map((r) => [r.streamId, r.eventType, r.severity])).toEqual([
      ["auth.ssh", "log", "warning"],
      ["default", "log", "info"],
    ]);
    expect(Buffer.from(rows[0]!.payload).toString()).toBe(
      '{"message":"bad password","fields":{"user":"root"}}',
    );
    core.log.verifyChain("auth.ssh", 1n, 1n);
  });
});
