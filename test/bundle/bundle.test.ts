// The evidence bundle end to end in process: a log on the pure core is
// collected into a bundle, the bundle is edited the ways an attacker or a
// broken copy would, and the bundle verifier (the CLI's, on the core over an
// in-memory store) must fail naming the seqno or segment — or, for edits that
// change no evidence, still pass.

import { beforeAll, describe, expect, it } from "vitest";
import { collectBundle, SignerKeyMismatch } from "../../src/bundle/collect";
import { MemoryHeadStorage, parseHeadFile } from "../../src/core/head-file";
import { SecureLog } from "../../src/core/log";
import type { SignatureAlgorithm } from "../../src/core/signer";
import { MemoryStore } from "../../src/stores/memory-store";
import { fingerprint } from "../../cli/keys";
import { CliError, EXIT } from "../../cli/output";
import { bundleSource } from "../../cli/verify-bundle";
import { verifyAll, type StreamResult } from "../../cli/verify-stream";
import { NodeSigner } from "../fixtures/node-signer";

type Line = Record<string, unknown>;

const ALG: SignatureAlgorithm = "ecdsa-p256";
let signer: NodeSigner;
let log: SecureLog;
let bundle: string;
let strangerKeyHex: string;

async function keyOf(identity: string) {
  const key = await signer.getKey(identity);
  return { identity, algorithm: ALG, publicKey: key.publicKey() };
}

/**
 * default: seqnos 1,2,4,5,7 — segment 1 (1–2, signed), segment 3 (4–5, signed), 7 unsealed.
 * ops:     seqnos 3,6        — segment 2 (3, unsigned), 6 unsealed.
 */
beforeAll(async () => {
  signer = new NodeSigner({ algorithm: ALG });
  const heads = new MemoryHeadStorage();
  log = new SecureLog({ store: new MemoryStore(), signer, heads });
  await log.open("memory");
  await log.createStream("ops", "public", "operations");
  const add = (stream: string, text: string) =>
    log.append(stream, "test.event", "info", "bundle-test", new TextEncoder().encode(text));
  await add("default", "one");
  await add("default", "two");
  await add("ops", "three");
  await log.closeSegment("default");
  await log.signSegment("auditor", 1n);
  await log.closeSegment("ops");
  await add("default", "four");
  await add("default", "five");
  await add("ops", "six");
  await log.closeSegment("default");
  await log.signSegment("auditor", 3n);
  await add("default", "seven");
  const collected = await collectBundle(log, {
    source: "node",
    exportedAtRfc3339: "2026-11-22T00:00:00+00:00",
    keyOf,
    heads: parseHeadFile(heads.text).records,
  });
  expect(collected).toMatchObject({ streams: 2, entries: 7, segments: 3, signed: 2, keys: 1 });
  expect(collected.heads).toBe(1);
  bundle = collected.text;
  const stranger = await new NodeSigner({ algorithm: ALG }).getKey("auditor");
  strangerKeyHex = Buffer.from(stranger.publicKey()).toString("hex");
});

const lines = (text: string): Line[] =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Line);

/** The bundle with `edit` applied to its lines (end line dropped and rewritten, as a forger would). */
function edited(edit: (ls: Line[]) => Line[]): string {
  const body = edit(lines(bundle).filter((l) => l["op"] !== "end"));
  return `${[...body, { op: "end", lines: String(body.length) }].map((l) => JSON.stringify(l)).join("\n")}\n`;
}

const isEntry = (seqno: number) => (l: Line) => l["op"] === "entry" && l["seqno"] === String(seqno);
const isSegment = (id: number) => (l: Line) =>
  l["op"] === "segment" && l["segment_id"] === String(id);

function mutate(ls: Line[], match: (l: Line) => boolean, change: (l: Line) => void): Line[] {
  const hit = ls.find(match);
  if (hit === undefined) throw new Error("test bug: no such line");
  change(hit);
  return ls;
}

const flipHex = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

async function verifyText(text: string, trust: string[] = []): Promise<StreamResult[]> {
  const source = await bundleSource(text, "bundle.jsonl", trust);
  const { header, heads } = source.bundle;
  return verifyAll(source.target, header.streams, heads, (n) => source.keyFailure(n));
}

async function firstFailure(text: string, trust: string[] = []) {
  const failed = (await verifyText(text, trust)).find((r) => !r.ok);
  expect(failed, "verification must fail").toBeDefined();
  return failed!;
}

async function refusal(text: string): Promise<CliError> {
  const e = await verifyText(text).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

describe("evidence bundle", () => {
  it("verifies whole: chains, proofs, signatures, checkpoint chain and rollback head", async () => {
    const results = await verifyText(bundle);
    expect(results.every((r) => r.ok)).toBe(true);
    const byName = Object.fromEntries(results.map((r) => [r.stream, r]));
    expect(byName["default"]).toMatchObject({
      entries: 5,
      segments: 2,
      proofs: 4,
      signed: 2,
      checkpoints: 2,
      headSegment: 3n,
    });
    expect(byName["ops"]).toMatchObject({ entries: 2, segments: 1, proofs: 1, unsigned: [2n] });
  });

  it("pins keys: the signer's fingerprint passes, any other fails naming the segment", async () => {
    const print = await fingerprint((await keyOf("auditor")).publicKey);
    expect((await verifyText(bundle, [print])).every((r) => r.ok)).toBe(true);
    const other = `sha256:${"ab".repeat(32)}`;
    const f = await firstFailure(bundle, [other]);
    expect(f).toMatchObject({ stream: "default", brokenSegment: 1n });
    expect(f.failure).toMatch(/not among the trusted keys/);
  });

  it("reordering lines changes no evidence: still verifies", async () => {
    const text = edited((ls) => [ls[0]!, ...ls.slice(1).reverse()]);
    expect((await verifyText(text)).every((r) => r.ok)).toBe(true);
  });

  const tampers: [string, (ls: Line[]) => Line[], Partial<StreamResult>, RegExp][] = [
    [
      "a payload byte flipped",
      (ls) => mutate(ls, isEntry(4), (l) => (l["payload"] = flipHex(l["payload"] as string))),
      { stream: "default", brokenSeqno: 4n },
      /does not match stored hash/,
    ],
    [
      "an entry's stored hash edited",
      (ls) => mutate(ls, isEntry(2), (l) => (l["entry_hash"] = flipHex(l["entry_hash"] as string))),
      { stream: "default", brokenSeqno: 2n },
      /does not match stored hash/,
    ],
    [
      "an entry deleted",
      (ls) => ls.filter((l) => !isEntry(4)(l)),
      { stream: "default", brokenSeqno: 5n },
      /prev_entry_hash mismatch/,
    ],
    [
      "the unsealed last entry's payload edited",
      (ls) => mutate(ls, isEntry(7), (l) => (l["payload"] = flipHex(l["payload"] as string))),
      { stream: "default", brokenSeqno: 7n },
      /does not match stored hash/,
    ],
    [
      "two entries' seqnos swapped",
      (ls) => {
        const a = ls.find(isEntry(4))!;
        const b = ls.find(isEntry(5))!;
        [a["seqno"], b["seqno"]] = [b["seqno"], a["seqno"]];
        return ls;
      },
      { stream: "default", brokenSeqno: 4n },
      /chain broken at seqno 4/,
    ],
    [
      "an entry moved to another stream",
      (ls) => mutate(ls, isEntry(6), (l) => (l["stream_id"] = "default")),
      { stream: "default", brokenSeqno: 6n },
      /chain broken at seqno 6/,
    ],
    [
      "a segment's Merkle root edited",
      (ls) =>
        mutate(ls, isSegment(3), (l) => (l["merkle_root"] = flipHex(l["merkle_root"] as string))),
      { stream: "default", brokenSegment: 3n },
      /segment 3: its Merkle root or last entry hash was changed/,
    ],
    [
      "a segment's first and last members swapped in its membership list",
      (ls) =>
        mutate(ls, isSegment(3), (l) => {
          const m = l["entries"] as [string, string][];
          [m[0]![1], m[1]![1]] = [m[1]![1], m[0]![1]];
        }),
      { stream: "default", brokenSegment: 3n, brokenSeqno: 4n },
      /proof of seqno 4: /,
    ],
    [
      "a signature edited",
      (ls) => mutate(ls, isSegment(1), (l) => (l["signature"] = flipHex(l["signature"] as string))),
      { stream: "default", brokenSegment: 1n },
      /signature does not verify/,
    ],
    [
      "a prev checkpoint hash edited",
      (ls) =>
        mutate(ls, isSegment(3), (l) => {
          l["prev_checkpoint_hash"] = flipHex(l["prev_checkpoint_hash"] as string);
        }),
      { stream: "default" },
      /prev_checkpoint_hash drift/,
    ],
    [
      "the newest signed segment dropped (rollback below the head record)",
      (ls) => ls.filter((l) => !isSegment(3)(l)),
      { stream: "default", brokenSegment: 3n },
      /rolled back/,
    ],
    [
      "the newest segment's signature removed",
      (ls) =>
        mutate(ls, isSegment(3), (l) => {
          delete l["signature"];
          delete l["signer_identity"];
        }),
      { stream: "default", brokenSegment: 3n },
      /rollback head.*does not verify.*not signed/,
    ],
    [
      "the public key swapped for another valid key",
      (ls) =>
        mutate(
          ls,
          (l) => l["op"] === "key",
          (l) => (l["public_key"] = strangerKeyHex),
        ),
      { stream: "default", brokenSegment: 1n },
      /segment 1 signature: .*does not verify/,
    ],
    [
      "the public key removed",
      (ls) => ls.filter((l) => l["op"] !== "key"),
      { stream: "default", brokenSegment: 1n },
      /signed by 'auditor', but the bundle holds no public key for it/,
    ],
  ];

  for (const [what, edit, where, message] of tampers) {
    it(`fails when ${what}`, async () => {
      const f = await firstFailure(edited(edit));
      expect(f).toMatchObject(where);
      expect(f.failure).toMatch(message);
    });
  }

  it("refuses a cut-off bundle, naming the line", async () => {
    const cut = bundle.split("\n").slice(0, 8).join("\n");
    const e = await refusal(`${cut}\n`);
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toMatch(/line 8: the bundle has no end line: it was cut off/);
  });

  it("refuses an end line that miscounts, a line after it, and an unknown field", async () => {
    const ls = bundle.trimEnd().split("\n");
    const miscount = [...ls.slice(0, 3), ...ls.slice(4)].join("\n");
    expect((await refusal(`${miscount}\n`)).message).toMatch(/end line counts \d+ lines/);
    expect((await refusal(`${bundle}{}\n`)).message).toMatch(/lines follow the end line/);
    const extra = edited((x) => mutate(x, isEntry(1), (l) => (l["note"] = "hi")));
    expect((await refusal(extra)).message).toMatch(/unknown field "note"/);
  });

  it("refuses what is not a bundle: another format, another version, not JSON", async () => {
    const ls = bundle.split("\n");
    const other = [JSON.stringify({ format: "secure-log-file-store", version: 1 }), ...ls.slice(1)];
    expect((await refusal(other.join("\n"))).message).toMatch(/line 1: not an evidence bundle/);
    const v2 = [ls[0]!.replace('"version":1', '"version":2'), ...ls.slice(1)];
    expect((await refusal(v2.join("\n"))).message).toMatch(/unsupported bundle version 2/);
    expect((await refusal("{not json\n")).message).toMatch(/line 1: not JSON/);
  });

  it("refuses a public key that is no curve point, naming the key", async () => {
    const text = edited((ls) =>
      mutate(
        ls,
        (l) => l["op"] === "key",
        (l) => (l["public_key"] = flipHex(l["public_key"] as string)),
      ),
    );
    const e = await refusal(text);
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toMatch(/public key of 'auditor' is unusable: .*P-256/);
  });

  it("refuses a seqno given twice as a verification failure", async () => {
    const e = await refusal(edited((ls) => [...ls, ls.find(isEntry(2))!]));
    expect(e.exitCode).toBe(EXIT.verifyFailed);
    expect(e.message).toMatch(/duplicate seqno: 2/);
  });

  it("exports one stream with its own segment ids, and that bundle verifies", async () => {
    const ops = await collectBundle(log, {
      streams: ["ops"],
      source: "node",
      exportedAtRfc3339: "2026-11-22T00:00:00+00:00",
      keyOf,
      heads: [],
    });
    expect(ops).toMatchObject({ streams: 1, entries: 2, segments: 1, keys: 0 });
    expect(lines(ops.text).filter((l) => l["op"] === "segment")[0]).toMatchObject({
      segment_id: "2",
    });
    expect((await verifyText(ops.text)).map((r) => [r.stream, r.ok])).toEqual([["ops", true]]);
  });

  it("refuses to export with a key that did not sign", async () => {
    const stranger = new NodeSigner({ algorithm: ALG });
    const err = await collectBundle(log, {
      source: "node",
      exportedAtRfc3339: "2026-11-22T00:00:00+00:00",
      keyOf: async (identity) => ({
        identity,
        algorithm: ALG,
        publicKey: (await stranger.getKey(identity)).publicKey(),
      }),
      heads: [],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignerKeyMismatch);
    expect((err as Error).message).toMatch(/segment 1 was signed by another 'auditor' key/);
  });
});
