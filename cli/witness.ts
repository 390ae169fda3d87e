// witness submit: the reference witness submission (FORMAT §7.2) for the
// stream's latest signed segment, computed from read-segment and the
// checkpoint hash that verify-segment-signature recomputes and checks.
// witness verify: compares a reference submission with the local chain.

import { toHex } from "../src/core/hex";
import {
  compareCheckpointHex,
  parseSubmission,
  serializeSubmission,
  type WitnessSubmission,
} from "../src/core/witness";
import { NO_SECRET_MESSAGE } from "../src/keystore/config";
import { flag, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { hasKeySecret, openLog, requireStream } from "./context";
import type { Globals } from "./context";
import { readInputText } from "./input";
import { CliError, EXIT, red, toJson, usageError } from "./output";

async function readSubmission(file: string): Promise<WitnessSubmission> {
  const text = await readInputText(file);
  try {
    return parseSubmission(text.trim());
  } catch (e) {
    throw usageError(`${file}: ${(e as Error).message}`);
  }
}

/** `witness verify FILE`: current / ancestor, or exit 1 naming where the chains diverge. */
async function verifySubmission(file: string, g: Globals): Promise<number> {
  const sub = await readSubmission(file);
  if (!hasKeySecret()) throw new CliError(NO_SECRET_MESSAGE, EXIT.store);
  const { api } = await openLog(g);
  await requireStream(api, sub.streamId);
  const segments = await api.listSegments(sub.streamId);
  const local = segments.find((s) => BigInt(s.segmentId) === sub.segmentId);
  const report = (status: string, detail: string, code: number): number => {
    if (g.json) {
      out(
        toJson({
          stream: sub.streamId,
          segmentId: sub.segmentId.toString(),
          seqStart: sub.seqStart.toString(),
          seqEnd: sub.seqEnd.toString(),
          status,
          detail,
        }),
      );
    } else out(code === 0 ? `${status}: ${detail}` : red(`DIVERGED: ${detail}`));
    if (code !== 0) process.stderr.write(`secure-log: witness submission diverges: ${detail}\n`);
    return code;
  };
  const where = `segment ${sub.segmentId} (seqno ${sub.seqStart}) of '${sub.streamId}'`;
  if (local === undefined) {
    return report("diverged", `${where}: no such segment in the local chain`, EXIT.verifyFailed);
  }
  if (BigInt(local.seqStart) !== sub.seqStart || BigInt(local.seqEnd) !== sub.seqEnd) {
    return report(
      "diverged",
      `${where}: local segment covers seqno ${local.seqStart}–${local.seqEnd}, submission ${sub.seqStart}–${sub.seqEnd}`,
      EXIT.verifyFailed,
    );
  }
  if (local.signature === undefined) {
    return report(
      "diverged",
      `${where}: the local segment is not signed, so its checkpoint cannot be checked`,
      EXIT.verifyFailed,
    );
  }
  const checkpoint = await api.verifySegmentSignature(local.segmentId);
  if (!compareCheckpointHex(sub.checkpointHashHex, checkpoint)) {
    return report(
      "diverged",
      `${where}: checkpoint ${sub.checkpointHashHex.toLowerCase()} != local ${toHex(checkpoint)}`,
      EXIT.verifyFailed,
    );
  }
  const latest = segments.at(-1)!;
  if (latest.segmentId === local.segmentId) {
    return report("current", `${where} is the latest local segment`, EXIT.ok);
  }
  return report(
    "ancestor",
    `${where} is an ancestor of the local head segment ${latest.segmentId} (seqno ${latest.seqEnd})`,
    EXIT.ok,
  );
}

export const witness: Command = {
  name: "witness",
  summary: "print a witness submission JSON, or check one against the local chain",
  usage: "secure-log witness submit --stream S | secure-log witness verify FILE",
  options: [
    "--stream S         the stream (default: default)",
    "verify FILE        compare a submission with the local chain: current, ancestor, or exit 1 (diverged)",
    "needs the keystore (SECURE_LOG_KEYSTORE_SEED or _KEY_FILE) to check the signature first",
  ],
  examples: [
    "secure-log witness submit --stream audit > submission.json",
    "secure-log witness verify submission.json",
    "secure-log witness submit | curl -sf --data-binary @- https://witness.example/submit",
  ],
  flags: { stream: { value: true } },
  async run(p, g) {
    const [sub, file] = positionals(p, ["SUBCOMMAND", "FILE"], 1);
    if (sub === "verify") {
      if (file === undefined) throw usageError("witness verify needs FILE; see --help");
      return verifySubmission(file, g);
    }
    if (sub !== "submit")
      throw usageError(`unknown subcommand 'witness ${sub}'; use submit or verify`);
    if (file !== undefined) throw usageError(`unexpected argument '${file}'`);
    const stream = flag(p, "stream") ?? "default";
    if (!hasKeySecret()) throw new CliError(NO_SECRET_MESSAGE, EXIT.store);
    const { api } = await openLog(g);
    await requireStream(api, stream);
    const segment = (await api.listSegments(stream)).findLast((s) => s.signature !== undefined);
    if (segment === undefined) {
      throw usageError(
        `stream '${stream}' has no signed segment; seal and sign one: \`secure-log seal --stream ${stream}\`, \`secure-log sign SEGMENT\``,
      );
    }
    const checked = await api.readSegment(segment.segmentId);
    const checkpointHash = await api.verifySegmentSignature(segment.segmentId);
    out(
      serializeSubmission({
        streamId: stream,
        segmentId: checked.segmentId,
        seqStart: checked.seqStart,
        seqEnd: checked.seqEnd,
        checkpointHashHex: toHex(checkpointHash),
        signatureHex: toHex(checked.signature!),
        signerIdentity: checked.signerIdentity ?? "",
      }),
    );
    return 0;
  },
};
