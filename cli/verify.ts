// verify: every stream's hash chain over its full range, every sealed
// segment's inclusion proofs and signature, and the checkpoint chain.

import { describe } from "../src/core/errors";
import { verifyInclusionProof } from "../src/core/segments";
import type { StackApi } from "../verify/stack-api";
import { flag, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { NO_SECRET_MESSAGE } from "../src/keystore/config";
import { hasKeySecret, openLog, requireStream } from "./context";
import { CliError, EXIT, green, logErrorOf, red, table, toCliError, toJson } from "./output";

interface StreamResult {
  stream: string;
  entries: number;
  segments: number;
  proofs: number;
  signed: number;
  checkpoints: number;
  /** Segments without a signature: the checkpoint chain cannot be checked until they are signed. */
  unsigned: bigint[];
  ok: boolean;
  /** What broke first, naming the seqno or the segment. */
  failure?: string;
  brokenSeqno?: bigint;
  brokenSegment?: bigint;
}

/** A progress line on stderr, only when it is a terminal. */
function progress(text: string): void {
  if (process.stderr.isTTY === true) process.stderr.write(`\r\x1b[K${text}`);
}

/** A verification failure (chain-broken, inclusion-mismatch) or undefined; anything else is rethrown. */
function verificationFailure(e: unknown): { text: string; seqno?: bigint } {
  const le = logErrorOf(e);
  if (le?.tag === "chain-broken") return { text: describe(le), seqno: le.val.seqno };
  if (le?.tag === "inclusion-mismatch") return { text: describe(le), seqno: le.val.seqno };
  throw toCliError(e);
}

async function verifyStream(api: StackApi, stream: string): Promise<StreamResult> {
  const r: StreamResult = {
    stream,
    entries: 0,
    segments: 0,
    proofs: 0,
    signed: 0,
    checkpoints: 0,
    unsigned: [],
    ok: true,
  };
  const fail = (failure: string, extra: Partial<StreamResult> = {}) =>
    Object.assign(r, { ok: false, failure }, extra);
  const head = await api.head(stream);
  if (head !== undefined) {
    progress(`verifying '${stream}': hash chain 1–${head}`);
    try {
      await api.verifyChain(stream, 1n, head);
    } catch (e) {
      const f = verificationFailure(e);
      return fail(`hash chain: ${f.text}`, { brokenSeqno: f.seqno });
    }
  }
  const segments = await api.listSegments(stream);
  r.segments = segments.length;
  for (const seg of segments) {
    for (let s = seg.seqStart; s <= seg.seqEnd; s++) {
      progress(`verifying '${stream}': segment ${seg.segmentId}, proof for seqno ${s}`);
      const entry = await api.read(s).catch(() => undefined);
      if (entry === undefined || entry.streamId !== stream) continue;
      r.entries++;
      try {
        const proof = await api.buildInclusionProof(s);
        await verifyInclusionProof(proof, seg.merkleRoot);
        r.proofs++;
      } catch (e) {
        const f = verificationFailure(e);
        return fail(`segment ${seg.segmentId}: ${f.text}`, {
          brokenSeqno: s,
          brokenSegment: seg.segmentId,
        });
      }
    }
    if (seg.signature === undefined) r.unsigned.push(seg.segmentId);
    else {
      try {
        await api.verifySegmentSignature(seg.segmentId);
        r.signed++;
      } catch (e) {
        const f = verificationFailure(e);
        return fail(`segment ${seg.segmentId} signature: ${f.text}`, {
          brokenSegment: seg.segmentId,
        });
      }
    }
  }
  // The checkpoint chain checks every segment's signature, so it needs them all signed.
  if (segments.length > 0 && r.unsigned.length === 0) {
    progress(`verifying '${stream}': checkpoint chain`);
    try {
      r.checkpoints = await api.verifyCheckpointChain(stream);
    } catch (e) {
      const f = verificationFailure(e);
      return fail(`checkpoint chain: ${f.text}`, { brokenSeqno: f.seqno });
    }
  }
  if (head !== undefined) {
    const sealedUpTo = segments.at(-1)?.seqEnd ?? 0n;
    // Entries after the last seal are covered by the chain only.
    for (let s = sealedUpTo + 1n; s <= head; s++) {
      const e = await api.read(s).catch(() => undefined);
      if (e?.streamId === stream) r.entries++;
    }
  }
  return r;
}

export const verify: Command = {
  name: "verify",
  summary: "verify hash chains, segment proofs and signatures, and checkpoint chains",
  usage: "secure-log verify [--stream S]",
  options: ["--stream S         verify only this stream (default: every stream)"],
  examples: [
    "secure-log verify",
    "secure-log verify --stream audit --json",
    "secure-log verify || alert 'audit log tampered'",
  ],
  flags: { stream: { value: true } },
  async run(p, g) {
    positionals(p, []);
    const { api } = await openLog(g);
    const only = flag(p, "stream");
    if (only !== undefined) await requireStream(api, only);
    const names = only !== undefined ? [only] : (await api.listStreams()).map((s) => s.name);
    if (!hasKeySecret()) {
      for (const n of names) {
        if ((await api.listSegments(n)).some((s) => s.signature !== undefined)) {
          throw new CliError(
            `stream '${n}' has signed segments and checking their signatures needs the keystore: ${NO_SECRET_MESSAGE}`,
            EXIT.store,
          );
        }
      }
    }
    const results: StreamResult[] = [];
    for (const n of names) {
      const r = await verifyStream(api, n);
      results.push(r);
      if (!r.ok) break;
    }
    progress("");
    const failed = results.find((r) => !r.ok);
    if (g.json) {
      out(toJson({ ok: failed === undefined, streams: results }));
    } else {
      out(
        table(
          ["STREAM", "ENTRIES", "SEGMENTS", "PROOFS", "SIGNED", "CHECKPOINTS", "RESULT"],
          results.map((r) => [
            r.stream,
            String(r.entries),
            String(r.segments),
            String(r.proofs),
            String(r.signed),
            r.unsigned.length > 0 ? "unsigned" : String(r.checkpoints),
            r.ok ? green("ok") : red("FAILED"),
          ]),
        ),
      );
      for (const r of results.filter((x) => x.unsigned.length > 0)) {
        const ids = r.unsigned.join(", ");
        out(
          `note: '${r.stream}' has unsigned segments (${ids}); its checkpoint chain is checked once they are signed: \`secure-log sign ${r.unsigned[0]}\``,
        );
      }
      if (failed === undefined) out(`${green("✓")} ${results.length} stream(s) verified`);
    }
    if (failed !== undefined) {
      const where =
        failed.brokenSeqno !== undefined
          ? `first broken seqno ${failed.brokenSeqno}`
          : `first broken segment ${failed.brokenSegment}`;
      process.stderr.write(
        `${red("✗")} verification FAILED in stream '${failed.stream}' (${where}): ${failed.failure}\n`,
      );
      return EXIT.verifyFailed;
    }
    return EXIT.ok;
  },
};
