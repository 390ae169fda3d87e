// Reads an evidence bundle back into an in-memory store, strictly: every line
// is parsed as exactly what BundleWriter writes, and anything else stops the
// load naming its line. What the rows say is judged afterwards, by the same
// core verification a live log gets; loading only refuses what cannot be
// replayed (a seqno or segment id given twice).

import type { HeadRecord } from "../core/head-file";
import type { StreamInfo } from "../core/model";
import type { SignatureAlgorithm } from "../core/signer";
import { ALGORITHMS } from "../keystore/config";
import { Fields, RecordError, u64FromText } from "../stores/file/fields";
import { parseRecord } from "../stores/file/records";
import { MemoryStore } from "../stores/memory-store";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleHeader, type BundleKey } from "./format";

export class BundleError extends Error {
  constructor(
    readonly line: number,
    message: string,
    /** "malformed": not a bundle as we write it; "conflict": rows that cannot coexist. */
    readonly kind: "malformed" | "conflict",
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface LoadedBundle {
  header: BundleHeader;
  keys: BundleKey[];
  heads: HeadRecord[];
  streams: StreamInfo[];
  store: MemoryStore;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function json(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (e) {
    throw new RecordError(`not JSON (${messageOf(e)})`);
  }
}

function parseHeader(line: string): BundleHeader {
  const v = json(line);
  const obj = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
  if (obj["format"] !== BUNDLE_FORMAT) {
    throw new RecordError(`not an evidence bundle (expected {"format":"${BUNDLE_FORMAT}",…})`);
  }
  if (obj["version"] !== BUNDLE_VERSION) {
    throw new RecordError(
      `unsupported bundle version ${JSON.stringify(obj["version"])} (this build reads version ${BUNDLE_VERSION})`,
    );
  }
  // format and version are checked above; the rest is read strictly.
  const rest = { ...obj };
  delete rest["format"];
  delete rest["version"];
  const f = Fields.of(rest, "header");
  const header: BundleHeader = {
    exportedAtRfc3339: f.string("exported_at_rfc3339"),
    source: f.string("source"),
    streams: f.array("streams").map((s, i) => {
      if (typeof s !== "string") throw new RecordError(`header.streams[${i}]: expected a string`);
      return s;
    }),
  };
  f.done();
  return header;
}

function parseKey(f: Fields): BundleKey {
  const algorithm = f.string("algorithm");
  if (!(ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new RecordError(`key.algorithm: unknown algorithm ${JSON.stringify(algorithm)}`);
  }
  return {
    identity: f.string("identity"),
    algorithm: algorithm as SignatureAlgorithm,
    publicKey: f.bytes("public_key"),
  };
}

function parseStream(f: Fields): StreamInfo {
  const info: StreamInfo = { name: f.string("name"), tier: f.string("tier") };
  const description = f.optionalString("description");
  if (description !== undefined) info.description = description;
  if (f.has("deprecated_at")) info.deprecatedAt = f.u64("deprecated_at");
  return info;
}

function parseHead(f: Fields): HeadRecord {
  return {
    streamId: f.string("stream_id"),
    segmentId: f.u64("segment_id"),
    seqEnd: f.u64("seq_end"),
    checkpointHashHex: f.string("checkpoint_hash_hex"),
    updatedAtRfc3339: f.string("updated_at_rfc3339"),
  };
}

/** The bundle's text as a store, keys and head records; throws BundleError. */
export function loadBundle(text: string): LoadedBundle {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0) throw new BundleError(1, "the bundle is empty", "malformed");
  const at = <T>(n: number, kind: BundleError["kind"], f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new BundleError(n, messageOf(e), kind);
    }
  };
  const header = at(1, "malformed", () => parseHeader(lines[0]!));
  // The store holds the rows verification reads; streams are listed by the bundle.
  const store = new MemoryStore();
  store.init("evidence-bundle");
  const loaded: LoadedBundle = { header, keys: [], heads: [], streams: [], store };
  for (let i = 1; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!;
    const v = at(n, "malformed", () => json(line));
    const op = (v as { op?: unknown } | null)?.op;
    if (op === "end") {
      at(n, "malformed", () => {
        const f = Fields.of(v, "end");
        f.string("op");
        const count = u64FromText(f.string("lines"), "end.lines");
        f.done();
        if (count !== BigInt(i)) {
          throw new RecordError(`the end line counts ${count} lines before it, the file has ${i}`);
        }
        if (i !== lines.length - 1) throw new RecordError("lines follow the end line");
      });
      return loaded;
    }
    if (op === "key" || op === "head" || op === "stream") {
      at(n, "malformed", () => {
        const f = Fields.of(v, op);
        f.string("op");
        if (op === "key") loaded.keys.push(parseKey(f));
        else if (op === "head") loaded.heads.push(parseHead(f));
        else loaded.streams.push(parseStream(f));
        f.done();
      });
      continue;
    }
    const rec = at(n, "malformed", () => parseRecord(line));
    at(n, "conflict", () => {
      switch (rec.op) {
        case "entry":
          store.replayEntry(rec.row);
          return;
        case "segment":
          store.replaySegment(rec.segmentId, rec.row, rec.entries);
          return;
        default:
          throw new RecordError(`a bundle holds no ${rec.op} records`);
      }
    });
  }
  throw new BundleError(
    lines.length,
    "the bundle has no end line: it was cut off (truncated) or is not complete",
    "malformed",
  );
}
