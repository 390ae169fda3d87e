// witness submit: the reference witness submission (FORMAT §7.2) for the
// stream's latest signed segment, computed from read-segment and the
// checkpoint hash that verify-segment-signature recomputes and checks.

import { toHex } from "../src/core/hex";
import { serializeSubmission } from "../src/core/witness";
import { NO_SECRET_MESSAGE } from "../src/keystore/config";
import { flag, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { hasKeySecret, openLog, requireStream } from "./context";
import { CliError, EXIT, usageError } from "./output";

export const witness: Command = {
  name: "witness",
  summary: "print the witness submission JSON of a stream's latest signed segment",
  usage: "secure-log witness submit --stream S",
  options: [
    "--stream S         the stream (default: default)",
    "needs the keystore (SECURE_LOG_KEYSTORE_SEED or _KEY_FILE) to check the signature first",
  ],
  examples: [
    "secure-log witness submit --stream audit > submission.json",
    "secure-log witness submit | curl -sf --data-binary @- https://witness.example/submit",
  ],
  flags: { stream: { value: true } },
  async run(p, g) {
    const [sub] = positionals(p, ["SUBCOMMAND"]);
    if (sub !== "submit") throw usageError(`unknown subcommand 'witness ${sub}'; use submit`);
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
