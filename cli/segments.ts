// seal, prove, verify-proof (offline), sign.

import { parseHexExact, toHex } from "../src/core/hex";
import { HASH_LEN, type InclusionProof, type SegmentInfo } from "../src/core/model";
import { verifyInclusionProof } from "../src/core/segments";
import { ENV, NO_SECRET_MESSAGE } from "../src/keystore/config";
import { flag, parseU64, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { hasKeySecret, openLog, requireStream } from "./context";
import { readInputText } from "./input";
import {
  CliError,
  EXIT,
  fields,
  green,
  logErrorOf,
  red,
  toCliError,
  toJson,
  usageError,
} from "./output";

export function segmentJson(s: SegmentInfo) {
  return {
    segmentId: s.segmentId,
    streamId: s.streamId,
    seqStart: s.seqStart,
    seqEnd: s.seqEnd,
    merkleRoot: toHex(s.merkleRoot),
    lastEntryHash: toHex(s.lastEntryHash),
    prevCheckpointHash: toHex(s.prevCheckpointHash),
    closedAt: s.closedAtRfc3339,
    signature: s.signature === undefined ? null : toHex(s.signature),
    signerIdentity: s.signerIdentity ?? null,
  };
}

export const seal: Command = {
  name: "seal",
  summary: "close the open segment of a stream (Merkle root over its new entries)",
  usage: "secure-log seal --stream S",
  examples: ["secure-log seal --stream default", "secure-log seal --stream audit --json"],
  flags: { stream: { value: true } },
  async run(p, g) {
    positionals(p, []);
    const stream = flag(p, "stream");
    if (stream === undefined)
      throw usageError("seal needs --stream S; list streams with `secure-log streams list`");
    const { api } = await openLog(g);
    await requireStream(api, stream);
    const s = await api.closeSegment(stream);
    if (g.json) out(toJson(segmentJson(s)));
    else
      out(
        `sealed segment ${s.segmentId} of '${stream}': seqno ${s.seqStart}–${s.seqEnd}, root ${toHex(s.merkleRoot)}`,
      );
    return 0;
  },
};

/** An inclusion proof with hex fields, as `prove` prints and `verify-proof` reads. */
export function proofJson(p: InclusionProof) {
  return {
    seqno: p.seqno.toString(),
    entryHash: toHex(p.entryHash),
    segmentId: p.segmentId.toString(),
    merkleRoot: toHex(p.merkleRoot),
    path: p.path.map((s) => ({ siblingHash: toHex(s.siblingHash), right: s.right })),
  };
}

function hexField(v: unknown, what: string): Uint8Array {
  const r = typeof v === "string" ? parseHexExact(v, HASH_LEN) : `${what} is missing`;
  if (typeof r === "string") throw usageError(`bad proof: ${what}: ${r}`);
  return r;
}

function u64Field(v: unknown, what: string): bigint {
  if (
    (typeof v === "string" && /^[0-9]+$/.test(v)) ||
    (typeof v === "number" && Number.isSafeInteger(v) && v >= 0)
  ) {
    return BigInt(v);
  }
  throw usageError(`bad proof: ${what} must be a whole number`);
}

export function parseProof(text: string): InclusionProof {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw usageError(`bad proof: not JSON (${(e as Error).message})`);
  }
  if (typeof j !== "object" || j === null || !Array.isArray(j["path"])) {
    throw usageError(
      "bad proof: expected an object with seqno, entryHash, segmentId, merkleRoot, path",
    );
  }
  return {
    seqno: u64Field(j["seqno"], "seqno"),
    entryHash: hexField(j["entryHash"], "entryHash"),
    segmentId: u64Field(j["segmentId"], "segmentId"),
    merkleRoot: hexField(j["merkleRoot"], "merkleRoot"),
    path: (j["path"] as unknown[]).map((s, i) => {
      const step = s as Record<string, unknown>;
      if (typeof step?.["right"] !== "boolean")
        throw usageError(`bad proof: path[${i}].right must be true or false`);
      return {
        siblingHash: hexField(step["siblingHash"], `path[${i}].siblingHash`),
        right: step["right"],
      };
    }),
  };
}

export const prove: Command = {
  name: "prove",
  summary: "print the inclusion proof of a sealed entry as JSON (hex fields)",
  usage: "secure-log prove SEQNO",
  examples: [
    "secure-log prove 7 > proof-7.json",
    "secure-log verify-proof proof-7.json --root <segment root>",
  ],
  flags: {},
  async run(p, g) {
    const [s] = positionals(p, ["SEQNO"]);
    const seqno = parseU64(s, "SEQNO");
    const { api } = await openLog(g);
    out(JSON.stringify(proofJson(await api.buildInclusionProof(seqno)), null, 2));
    return 0;
  },
};

export const verifyProof: Command = {
  name: "verify-proof",
  summary: "check an inclusion proof against a trusted root, offline (no store, no wasm)",
  usage: "secure-log verify-proof FILE --root HEX",
  options: [
    "FILE               a proof from `secure-log prove` (`-` for stdin)",
    "--root HEX         the segment's Merkle root you trust (64 hex characters)",
  ],
  examples: [
    "secure-log verify-proof proof-7.json --root 3f1c…",
    "secure-log prove 7 | secure-log verify-proof - --root 3f1c…",
  ],
  flags: { root: { value: true } },
  async run(p, g) {
    const [file] = positionals(p, ["FILE"]);
    const rootText = flag(p, "root");
    if (rootText === undefined)
      throw usageError("verify-proof needs --root HEX (the segment's Merkle root)");
    const root = parseHexExact(rootText, HASH_LEN);
    if (typeof root === "string") throw usageError(`--root: ${root}`);
    const proof = parseProof(await readInputText(file!));
    try {
      await verifyInclusionProof(proof, root);
    } catch (e) {
      const le = logErrorOf(e);
      if (le?.tag === "inclusion-mismatch") {
        if (g.json) out(toJson({ ok: false, seqno: proof.seqno, segmentId: proof.segmentId }));
        else out(`${red("✗")} seqno ${proof.seqno} is NOT included under root ${rootText}`);
        return EXIT.verifyFailed;
      }
      throw toCliError(e);
    }
    if (g.json) out(toJson({ ok: true, seqno: proof.seqno, segmentId: proof.segmentId }));
    else
      out(
        `${green("✓")} seqno ${proof.seqno} is included in segment ${proof.segmentId} under root ${rootText}`,
      );
    return 0;
  },
};

export const sign: Command = {
  name: "sign",
  summary: "sign a sealed segment's checkpoint with the keystore",
  usage: "secure-log sign SEGMENT [--key LABEL]",
  options: [
    "--key LABEL        keystore key label (default: secure-log)",
    `env ${ENV.seed}     the operator secret (64 hex characters), or`,
    `env ${ENV.keyFile} a key file; ${ENV.algorithm} picks ed25519 (default), ecdsa-p256, rsa-pss-sha256`,
  ],
  examples: [
    `${ENV.seed}=$(cat seed.hex) secure-log sign 1`,
    "secure-log sign 2 --key audit-signer --json",
  ],
  flags: { key: { value: true } },
  async run(p, g) {
    const [s] = positionals(p, ["SEGMENT"]);
    const segmentId = parseU64(s, "SEGMENT");
    const key = flag(p, "key") ?? "secure-log";
    if (!hasKeySecret()) throw new CliError(NO_SECRET_MESSAGE, EXIT.store);
    const { api } = await openLog(g);
    await api.readSegment(segmentId);
    const [checkpointHash, signature] = await api.signSegment(key, segmentId);
    if (g.json) out(toJson({ segmentId, key, signature, checkpointHash }));
    else
      out(
        fields([
          ["signed segment", String(segmentId)],
          ["key", key],
          ["checkpoint", toHex(checkpointHash)],
          ["signature", toHex(signature)],
        ]),
      );
    return 0;
  },
};
