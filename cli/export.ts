// export: the log as an offline evidence bundle (src/bundle), for an auditor
// to check with `verify --bundle` on their own machine: no store, no wasm.

import { rename, writeFile } from "node:fs/promises";
import { collectBundle, SignerKeyMismatch, type ExportedBundle } from "../src/bundle/collect";
import { rfc3339 } from "../src/core/clock";
import { NO_SECRET_MESSAGE } from "../src/keystore/config";
import { flag, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { hasKeySecret, openLog, requireStream } from "./context";
import { readHeadRecords } from "./head-records";
import { publicKeyOf } from "./keys";
import { CliError, EXIT, logErrorOf, toCliError, toJson } from "./output";

/** Export's refusals in CLI terms: what broke and what to do. */
function exportFailure(e: unknown): CliError {
  const le = logErrorOf(e);
  if (le?.tag === "chain-broken") {
    return new CliError(
      `the log fails verification at seqno ${le.val.seqno}; export bundles intact history only: run \`secure-log verify\` to see what broke`,
      EXIT.verifyFailed,
    );
  }
  if (e instanceof SignerKeyMismatch) {
    return new CliError(`${e.message}: set the keystore secret that signed it`, EXIT.store);
  }
  return toCliError(e);
}

const summaryOf = (b: ExportedBundle) =>
  `exported ${b.entries} entries, ${b.segments} segments (${b.signed} signed), ${b.keys} public key(s) and ${b.heads} head record(s) of ${b.streams} stream(s)`;

export const exportBundle: Command = {
  name: "export",
  summary: "write an offline evidence bundle: entries, segments, signatures, public keys, head",
  usage: "secure-log export [-o FILE] [--stream S]",
  options: [
    "-o, --output FILE  write the bundle to FILE (default: standard output)",
    "--stream S         only this stream (default: every stream)",
    "the keystore secret is needed when segments are signed: the bundle names the public keys",
  ],
  examples: [
    "secure-log export -o evidence.jsonl",
    "secure-log export --stream audit > audit-evidence.jsonl",
    "secure-log verify --bundle evidence.jsonl --trust-key sha256:4be1…",
  ],
  flags: { output: { value: true, short: "o" }, stream: { value: true } },
  async run(p, g) {
    positionals(p, []);
    const output = flag(p, "output");
    const only = flag(p, "stream");
    const { api, stack } = await openLog(g);
    if (only !== undefined) await requireStream(api, only);
    const bundle = await collectBundle(api, {
      streams: only === undefined ? undefined : [only],
      source: g.stack,
      exportedAtRfc3339: rfc3339(new Date()),
      keyOf: (identity) => {
        if (!hasKeySecret()) {
          const why = "signed segments need their public keys in the bundle, from the keystore";
          throw new CliError(`${why}: ${NO_SECRET_MESSAGE}`, EXIT.store);
        }
        return publicKeyOf(identity, g.dataDir);
      },
      heads: await readHeadRecords(g.dataDir, stack.storeConfig),
    }).catch((e: unknown) => {
      throw exportFailure(e);
    });
    if (output === undefined) {
      process.stdout.write(bundle.text);
      process.stderr.write(`${summaryOf(bundle)}\n`);
      return EXIT.ok;
    }
    // Written whole, then renamed: a reader never sees half a bundle.
    const tmp = `${output}.tmp`;
    await writeFile(tmp, bundle.text).catch((e: NodeJS.ErrnoException) => {
      throw new CliError(`cannot write ${output}: ${e.code ?? e.message}`, EXIT.usage);
    });
    await rename(tmp, output);
    if (g.json) out(toJson({ output, ...bundle, text: undefined }));
    else out(`${summaryOf(bundle)} to ${output}`);
    return EXIT.ok;
  },
};
