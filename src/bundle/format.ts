// The offline evidence bundle (docs/design/evidence-bundle.md): JSON lines.
// A header, the signers' public keys, the anti-rollback head records, the
// streams, and the log's rows in the file store's record syntax (src/stores/file/FORMAT.md),
// and an end line counting the lines before it, so a cut-off file is refused.

import type { HeadRecord } from "../core/head-file";
import { toHex } from "../core/hex";
import type { SignatureAlgorithm } from "../core/signer";
import type { StreamInfo } from "../core/model";
import type { SecureLogRow, SecureLogSegmentRow, SegmentEntry } from "../core/store";
import { entryJson, recordLine, segmentJson } from "../stores/file/records";

export const BUNDLE_FORMAT = "secure-log-evidence-bundle";
export const BUNDLE_VERSION = 1;

export interface BundleHeader {
  exportedAtRfc3339: string;
  /** The stack the log was exported from: "sqlite", "file" or "remote". */
  source: string;
  /** The streams the bundle holds, complete. */
  streams: string[];
}

/** A signer's public key, as `keys:keystore/signer` `public-key` gives it. */
export interface BundleKey {
  identity: string;
  algorithm: SignatureAlgorithm;
  publicKey: Uint8Array;
}

/** Lines of one bundle, in the order they must appear. */
export class BundleWriter {
  private readonly lines: string[] = [];

  constructor(header: BundleHeader) {
    this.lines.push(
      recordLine({
        format: BUNDLE_FORMAT,
        version: BUNDLE_VERSION,
        exported_at_rfc3339: header.exportedAtRfc3339,
        source: header.source,
        streams: header.streams,
      }),
    );
  }

  key(k: BundleKey): void {
    this.lines.push(
      recordLine({
        op: "key",
        identity: k.identity,
        algorithm: k.algorithm,
        public_key: toHex(k.publicKey),
      }),
    );
  }

  head(r: HeadRecord): void {
    this.lines.push(
      recordLine({
        op: "head",
        stream_id: r.streamId,
        segment_id: r.segmentId.toString(),
        seq_end: r.seqEnd.toString(),
        checkpoint_hash_hex: r.checkpointHashHex,
        updated_at_rfc3339: r.updatedAtRfc3339,
      }),
    );
  }

  /** The stream as the log's `list-streams` shows it (no hash covers this metadata). */
  stream(info: StreamInfo): void {
    this.lines.push(
      recordLine({
        op: "stream",
        name: info.name,
        tier: info.tier,
        description: info.description,
        deprecated_at: info.deprecatedAt?.toString(),
      }),
    );
  }

  entry(row: SecureLogRow): void {
    this.lines.push(recordLine(entryJson(row)));
  }

  /** A segment with its id, its signature if it has one, and its (seqno, leaf) members. */
  segment(segmentId: bigint, row: SecureLogSegmentRow, members: SegmentEntry[]): void {
    this.lines.push(recordLine({ ...segmentJson(row, members), segment_id: segmentId.toString() }));
  }

  /** The whole bundle, closed by its end line. */
  text(): string {
    const end = recordLine({ op: "end", lines: String(this.lines.length) });
    return `${[...this.lines, end].join("\n")}\n`;
  }
}
