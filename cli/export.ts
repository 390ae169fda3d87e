// export: the log as an offline evidence bundle (src/bundle), for an auditor
// to check with `verify --bundle` on their own machine: no store, no wasm.

import { rename, writeFile } from "node:fs/promises";
import { BundleWriter } from "../src/bundle/format";
import { rfc3339 } from "../src/core/clock";
import { entryHash } from "../src/core/encoder";
import type { EntryFields, SegmentInfo } from "../src/core/model";
import { verifySignature } from "../src/core/signatures/verify";
import type { SecureLogRow, SegmentEntry } from "../src/core/store";
import { NO_SECRET_MESSAGE } from "../src/keystore/config";
import type { StackApi } from "../verify/stack-api";
import { flag, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { hasKeySecret, openLog, requireStream } from "./context";
import { readHeadRecords } from "./head-records";
import { fingerprint, publicKeyOf } from "./keys";
import { CliError, EXIT, logErrorOf, toCliError } from "./output";

/** A bundle carries intact history only: a broken chain is reported, not exported. */
async function requireIntactChain(api: StackApi, stream: string, head: bigint): Promise<void> {
  try {
    await api.verifyChain(stream, 1n, head);
  } catch (e) {
    const le = logErrorOf(e);
    if (le?.tag !== "chain-broken") throw toCliError(e);
    throw new CliError(
      `stream '${stream}' fails verification at seqno ${le.val.seqno}; export only bundles intact history: run \`secure-log verify\` to see what broke`,
      EXIT.verifyFailed,
    );
  }
}

function rowOf(e: EntryFields, hash: Uint8Array): SecureLogRow {
  // The row is the entry without its format version, plus the hash it chains by.
  const row: SecureLogRow & { version?: number } = { ...e, entryHash: hash };
  delete row.version;
  return row;
}

/** Each segment's members: its stream's entries in its range, in seqno order. */
function membersOf(segment: SegmentInfo, seqnos: readonly bigint[]): SegmentEntry[] {
  return seqnos
    .filter((s) => s >= segment.seqStart && s <= segment.seqEnd)
    .map((s, i) => [s, BigInt(i)]);
}

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
    const streams = (await api.listStreams()).filter((s) => only === undefined || s.name === only);
    const names = new Set(streams.map((s) => s.name));

    const heads = new Map<string, bigint>();
    const segments: SegmentInfo[] = [];
    for (const s of streams) {
      const head = await api.head(s.name);
      if (head !== undefined) {
        await requireIntactChain(api, s.name, head);
        heads.set(s.name, head);
      }
      segments.push(...(await api.listSegments(s.name)));
    }

    const writer = new BundleWriter({
      exportedAtRfc3339: rfc3339(new Date()),
      source: g.stack,
      streams: [...names],
    });
    const signed = segments.filter((s) => s.signature !== undefined);
    if (signed.length > 0 && !hasKeySecret()) {
      throw new CliError(
        `signed segments need their public keys in the bundle, from the keystore: ${NO_SECRET_MESSAGE}`,
        EXIT.store,
      );
    }
    const identities = [...new Set(signed.map((s) => s.signerIdentity ?? ""))];
    const keys = await Promise.all(identities.map((id) => publicKeyOf(id, g.dataDir)));
    for (const key of keys) writer.key(key);
    // The keystore configured here must be the one that signed: an auditor pins these keys.
    for (const seg of signed) {
      const key = keys.find((k) => k.identity === seg.signerIdentity)!;
      const hash = await api.verifySegmentSignature(seg.segmentId);
      if (!(await verifySignature(key.algorithm, key.publicKey, hash, seg.signature!))) {
        throw new CliError(
          `segment ${seg.segmentId} was signed by another '${key.identity}' key than this keystore's (${await fingerprint(key.publicKey)}); set the secret that signed it`,
          EXIT.store,
        );
      }
    }
    const headRecords = await readHeadRecords(g.dataDir, stack.storeConfig);
    for (const r of headRecords.filter((r) => names.has(r.streamId))) writer.head(r);
    for (const s of streams) writer.stream(s);

    const last = [...heads.values()].reduce((a, b) => (b > a ? b : a), 0n);
    const seqnos = new Map<string, bigint[]>([...names].map((n) => [n, []]));
    for (let s = 1n; s <= last; s++) {
      const e = await api.read(s).catch((err: unknown) => {
        if (logErrorOf(err)?.tag === "entry-not-found") return undefined;
        throw toCliError(err);
      });
      if (e === undefined || !names.has(e.streamId)) continue;
      writer.entry(rowOf(e, await entryHash(e)));
      seqnos.get(e.streamId)!.push(s);
    }
    for (const seg of segments) {
      writer.segment(seg.segmentId, seg, membersOf(seg, seqnos.get(seg.streamId)!));
    }

    const text = writer.text();
    const entries = [...seqnos.values()].reduce((n, xs) => n + xs.length, 0);
    const summary = `exported ${entries} entries, ${segments.length} segments (${signed.length} signed), ${keys.length} public key(s) and ${headRecords.filter((r) => names.has(r.streamId)).length} head record(s) of ${names.size} stream(s)`;
    if (output === undefined) {
      process.stdout.write(text);
      process.stderr.write(`${summary}\n`);
      return EXIT.ok;
    }
    // Written whole, then renamed: a reader never sees half a bundle.
    const tmp = `${output}.tmp`;
    await writeFile(tmp, text).catch((e: NodeJS.ErrnoException) => {
      throw new CliError(`cannot write ${output}: ${e.code ?? e.message}`, EXIT.usage);
    });
    await rename(tmp, output);
    if (g.json)
      out(
        JSON.stringify({
          output,
          entries,
          segments: segments.length,
          signed: signed.length,
          keys: keys.length,
        }),
      );
    else out(`${summary} to ${output}`);
    return EXIT.ok;
  },
};
