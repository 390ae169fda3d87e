// verify: every stream's hash chain over its full range, every sealed
// segment's inclusion proofs and signature, the checkpoint chain and the
// anti-rollback head; of the log on a stack, or of an evidence bundle offline.

import { NO_SECRET_MESSAGE } from "../src/keystore/config";
import { flag, has, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { hasKeySecret, openLog, requireStream, type Globals } from "./context";
import { readHeadRecords } from "./head-records";
import { CliError, EXIT, green, red, table, toJson, usageError } from "./output";
import { openBundle, type KeyReport } from "./verify-bundle";
import { verifyAll, type StreamResult } from "./verify-stream";

interface Verified {
  results: StreamResult[];
  /** Bundle mode: the signers' keys and where the bundle came from. */
  bundle?: { file: string; exportedAt: string; source: string; keys: KeyReport[] };
}

async function verifyLog(g: Globals, only: string | undefined): Promise<Verified> {
  const { api, stack } = await openLog(g);
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
  const heads = await readHeadRecords(g.dataDir, stack.storeConfig);
  return { results: await verifyAll(api, names, heads) };
}

async function verifyBundle(
  file: string,
  only: string | undefined,
  trust: readonly string[],
): Promise<Verified> {
  const source = await openBundle(file, trust);
  const { header, heads } = source.bundle;
  if (only !== undefined && !header.streams.includes(only)) {
    throw usageError(
      `stream '${only}' is not in the bundle; it holds: ${header.streams.join(", ") || "no streams"}`,
    );
  }
  const names = only !== undefined ? [only] : header.streams;
  return {
    results: await verifyAll(source.target, names, heads, (n) => source.keyFailure(n)),
    bundle: {
      file,
      exportedAt: header.exportedAtRfc3339,
      source: header.source,
      keys: source.keys,
    },
  };
}

function printKeys(keys: readonly KeyReport[]): void {
  if (keys.length === 0) return;
  const pinned = keys.some((k) => k.trusted !== undefined);
  out(
    table(
      ["KEY", "ALGORITHM", "FINGERPRINT", ...(pinned ? ["TRUSTED"] : [])],
      keys.map((k) => [
        k.identity,
        k.algorithm,
        k.fingerprint,
        ...(pinned ? [k.trusted ? green("yes") : red("NO")] : []),
      ]),
    ),
  );
  if (!pinned) {
    out(
      "note: signatures were checked with the bundle's own public keys; pin the signer's with --trust-key (`secure-log public-key` on the signing host prints it)",
    );
  }
  out("");
}

function printResults(v: Verified): void {
  if (v.bundle !== undefined) {
    out(
      `bundle ${v.bundle.file}: exported ${v.bundle.exportedAt} from the ${v.bundle.source} stack`,
    );
    printKeys(v.bundle.keys);
  }
  out(
    table(
      ["STREAM", "ENTRIES", "SEGMENTS", "PROOFS", "SIGNED", "CHECKPOINTS", "HEAD", "RESULT"],
      v.results.map((r) => [
        r.stream,
        String(r.entries),
        String(r.segments),
        String(r.proofs),
        String(r.signed),
        r.unsigned.length > 0 ? "unsigned" : String(r.checkpoints),
        r.headSegment === undefined ? "-" : `segment ${r.headSegment}`,
        r.ok ? green("ok") : red("FAILED"),
      ]),
    ),
  );
  for (const r of v.results.filter((x) => x.unsigned.length > 0)) {
    const ids = r.unsigned.join(", ");
    out(
      v.bundle === undefined
        ? `note: '${r.stream}' has unsigned segments (${ids}); its checkpoint chain is checked once they are signed: \`secure-log sign ${r.unsigned[0]}\``
        : `note: '${r.stream}' has unsigned segments (${ids}): only the hash chain and proofs cover them`,
    );
  }
}

export const verify: Command = {
  name: "verify",
  summary:
    "verify hash chains, proofs, signatures, checkpoint chains and the rollback head; --bundle: offline",
  usage: "secure-log verify [--stream S] | secure-log verify --bundle FILE [--trust-key K[,K…]]",
  options: [
    "--stream S         verify only this stream (default: every stream)",
    "--bundle FILE      verify an evidence bundle from `secure-log export` (`-` for stdin),",
    "                   with no store and no wasm: --data and --stack are not used",
    "--trust-key K      pin the signers: a fingerprint (sha256:…) or public key (hex) from",
    "                   `secure-log public-key`; comma-separated for several",
  ],
  examples: [
    "secure-log verify",
    "secure-log verify --stream audit --json",
    "secure-log verify || alert 'audit log tampered'",
    "secure-log verify --bundle evidence.jsonl --trust-key sha256:4be1…",
  ],
  flags: { stream: { value: true }, bundle: { value: true }, "trust-key": { value: true } },
  async run(p, g) {
    positionals(p, []);
    const only = flag(p, "stream");
    const file = flag(p, "bundle");
    const trust = (flag(p, "trust-key") ?? "").split(",").filter((k) => k !== "");
    if (file === undefined && has(p, "trust-key")) {
      throw usageError("--trust-key pins the keys of a bundle: give --bundle FILE too");
    }
    const v = file === undefined ? await verifyLog(g, only) : await verifyBundle(file, only, trust);
    const failed = v.results.find((r) => !r.ok);
    if (g.json) out(toJson({ ok: failed === undefined, streams: v.results, bundle: v.bundle }));
    else {
      printResults(v);
      if (failed === undefined) out(`${green("✓")} ${v.results.length} stream(s) verified`);
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
