// Gathers a log into an evidence bundle through the log's own calls, so any
// stack (or the in-process core) can be exported the same way. Only intact
// history is bundled, and only with public keys that verify its signatures.

import { entryHash } from "../core/encoder";
import type { HeadRecord } from "../core/head-file";
import type { EntryFields, SegmentInfo, StreamInfo } from "../core/model";
import { verifySignature } from "../core/signatures/verify";
import type { SecureLogRow, SegmentEntry } from "../core/store";
import { BundleWriter, type BundleKey } from "./format";

/** The log calls an export makes: `secure-log:log/log` and `checkpoint`, async. */
export interface ExportSource {
  listStreams(): Promise<StreamInfo[]>;
  head(streamId: string): Promise<bigint | undefined>;
  read(seqno: bigint): Promise<EntryFields>;
  verifyChain(streamId: string, fromSeqno: bigint, toSeqno: bigint): Promise<void>;
  listSegments(streamId: string): Promise<SegmentInfo[]>;
  verifySegmentSignature(segmentId: bigint): Promise<Uint8Array>;
}

export interface ExportOptions {
  /** The streams to bundle (each complete); every stream when undefined. */
  streams?: readonly string[];
  /** Named in the header: the stack exported from. */
  source: string;
  exportedAtRfc3339: string;
  /** The public key a signer identity signs with (the keystore's). */
  keyOf(identity: string): Promise<BundleKey>;
  /** The anti-rollback head records; those of bundled streams are kept. */
  heads: readonly HeadRecord[];
}

export interface ExportedBundle {
  text: string;
  streams: number;
  entries: number;
  segments: number;
  signed: number;
  keys: number;
  heads: number;
}

/** The key given for a signer is not the one that signed: the bundle would not verify. */
export class SignerKeyMismatch extends Error {}

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

/** The keys of every signer, each checked against every segment it signed. */
async function signerKeys(
  log: ExportSource,
  signed: readonly SegmentInfo[],
  keyOf: ExportOptions["keyOf"],
): Promise<BundleKey[]> {
  const identities = [...new Set(signed.map((s) => s.signerIdentity ?? ""))];
  const keys = await Promise.all(identities.map(keyOf));
  for (const seg of signed) {
    const key = keys.find((k) => k.identity === (seg.signerIdentity ?? ""))!;
    // The log checks the signature with its keystore and gives the hash it signed.
    const hash = await log.verifySegmentSignature(seg.segmentId);
    if (!(await verifySignature(key.algorithm, key.publicKey, hash, seg.signature!))) {
      throw new SignerKeyMismatch(
        `segment ${seg.segmentId} was signed by another '${key.identity}' key than the one given for the bundle`,
      );
    }
  }
  return keys;
}

/**
 * The bundle of the chosen streams. Throws what the log throws (a
 * chain-broken log-error when a stream's chain does not verify) or SignerKeyMismatch.
 */
export async function collectBundle(
  log: ExportSource,
  options: ExportOptions,
): Promise<ExportedBundle> {
  const streams = (await log.listStreams()).filter(
    (s) => options.streams === undefined || options.streams.includes(s.name),
  );
  const names = new Set(streams.map((s) => s.name));
  let last = 0n;
  const segments: SegmentInfo[] = [];
  for (const s of streams) {
    const head = await log.head(s.name);
    if (head !== undefined) {
      await log.verifyChain(s.name, 1n, head);
      if (head > last) last = head;
    }
    segments.push(...(await log.listSegments(s.name)));
  }
  const signed = segments.filter((s) => s.signature !== undefined);
  const keys = await signerKeys(log, signed, options.keyOf);
  const heads = options.heads.filter((r) => names.has(r.streamId));

  const writer = new BundleWriter({
    exportedAtRfc3339: options.exportedAtRfc3339,
    source: options.source,
    streams: [...names],
  });
  keys.forEach((k) => writer.key(k));
  heads.forEach((r) => writer.head(r));
  streams.forEach((s) => writer.stream(s));
  // Seqnos are global: read them all, keep the bundled streams' entries.
  const seqnos = new Map<string, bigint[]>([...names].map((n) => [n, []]));
  for (let s = 1n; s <= last; s++) {
    const e = await log.read(s).catch((err: unknown) => {
      // A seqno no row has is another stream's: the bundled chains were checked whole.
      if ((err as { payload?: { tag?: string } }).payload?.tag === "entry-not-found") return;
      throw err;
    });
    if (e === undefined || !names.has(e.streamId)) continue;
    writer.entry(rowOf(e, await entryHash(e)));
    seqnos.get(e.streamId)!.push(s);
  }
  for (const seg of segments) {
    writer.segment(seg.segmentId, seg, membersOf(seg, seqnos.get(seg.streamId)!));
  }
  return {
    text: writer.text(),
    streams: names.size,
    entries: [...seqnos.values()].reduce((n, xs) => n + xs.length, 0),
    segments: segments.length,
    signed: signed.length,
    keys: keys.length,
    heads: heads.length,
  };
}
