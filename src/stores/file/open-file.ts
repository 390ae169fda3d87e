// Opening the store file: every line is replayed into a fresh MemoryStore, by
// the same calls a live write makes, so the rules (and their error texts) live
// in one place. Nothing is skipped: a line that does not parse or that the index
// refuses stops the open with its line number. The one repair is cutting a torn
// final record, and only in a file whose first line is our header (or a prefix
// of it), so pointing the store at some other file never truncates it.

import type { Clock } from "../../core/clock";
import type { SecureLogStreamRow } from "../../core/store";
import type { FileSystem } from "../../wasi/file-system";
import { MemoryStore } from "../memory-store";
import { FileStoreError, messageOf } from "./errors";
import { RecordError } from "./fields";
import { splitLines, type Line } from "./lines";
import { checkHeader, headerLine, parseRecord, recordLine, streamJson } from "./records";
import type { FileRecord } from "./records";

export interface Recovery {
  /** The line number the torn record would have had. */
  line: number;
  droppedBytes: number;
  message: string;
}

export interface OpenedFile {
  index: MemoryStore;
  /** Bytes in the file after opening. */
  size: number;
  recovered?: Recovery;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

function lineText(path: string, line: Line): string {
  try {
    return utf8.decode(line.bytes);
  } catch (e) {
    throw corrupt(path, line.number, "is not valid UTF-8", e);
  }
}

function corrupt(path: string, line: number, what: string, cause?: unknown): FileStoreError {
  return new FileStoreError(
    "corrupt",
    `cannot open file store ${path}: line ${line} ${what}; lines are never skipped, ` +
      "so repair or restore the file",
    { cause, line },
  );
}

function replay(index: MemoryStore, rec: FileRecord): void {
  switch (rec.op) {
    case "entry":
      index.replayEntry(rec.row);
      return;
    case "segment": {
      const id = index.secureLogSegmentInsert(rec.row, rec.entries);
      if (id !== rec.segmentId) {
        throw new RecordError(`segment id ${rec.segmentId} is out of sequence (expected ${id})`);
      }
      return;
    }
    case "signature":
      index.secureLogSegmentSetSignature(rec.segmentId, rec.signature, rec.signerIdentity);
      return;
    case "witness": {
      const id = index.witnessLogInsert(rec.row);
      if (id !== rec.id) {
        throw new RecordError(`witness id ${rec.id} is out of sequence (expected ${id})`);
      }
      return;
    }
    case "witness-gc": {
      const rows = index.rawTables().witness;
      for (const id of rec.ids) {
        if (!rows.delete(id)) throw new RecordError(`deletes witness row ${id}, which is absent`);
      }
      return;
    }
    case "stream":
      index.secureLogStreamUpsert(rec.row);
      return;
    case "stream-tier":
      index.secureLogStreamSetTier(rec.name, rec.tier);
      return;
    case "stream-deprecate":
      index.secureLogStreamDeprecate(rec.name, rec.deprecatedAtRfc3339);
  }
}

function isPrefixOf(part: Uint8Array, whole: Uint8Array): boolean {
  return part.length <= whole.length && part.every((b, i) => b === whole[i]);
}

export function openFile(fs: FileSystem, path: string, clock: Clock): OpenedFile {
  let bytes: Uint8Array | undefined;
  try {
    bytes = fs.readFile(path);
  } catch (e) {
    throw new FileStoreError("io", `cannot open file store: ${messageOf(e)}`, { cause: e });
  }
  const split = splitLines(bytes ?? new Uint8Array());

  // The index creates "default" at init; the file says whether and when it was.
  const index = new MemoryStore(clock);
  index.init(path);
  const defaultStream = index.secureLogStreamGet("default") as SecureLogStreamRow;
  index.rawTables().streams.delete("default");

  const [header, ...records] = split.lines;
  if (header !== undefined) {
    try {
      checkHeader(lineText(path, header));
    } catch (e) {
      if (e instanceof FileStoreError) throw e;
      throw corrupt(path, 1, `is ${messageOf(e)}`, e);
    }
  } else if (split.torn && !isPrefixOf(split.torn, encoder.encode(headerLine()))) {
    throw corrupt(path, 1, "is not a file store header (and has no newline)");
  }
  for (const line of records) {
    const text = lineText(path, line);
    let rec: FileRecord;
    try {
      rec = parseRecord(text);
    } catch (e) {
      throw corrupt(path, line.number, `is malformed: ${messageOf(e)}`, e);
    }
    try {
      replay(index, rec);
    } catch (e) {
      throw corrupt(path, line.number, `cannot be replayed (${rec.op}): ${messageOf(e)}`, e);
    }
  }

  const opened: OpenedFile = { index, size: split.completeLength };
  if (split.torn) {
    try {
      fs.truncate(path, split.completeLength);
    } catch (e) {
      const why = `cannot cut its torn final record: ${messageOf(e)}`;
      throw new FileStoreError("io", `cannot open file store ${path}: ${why}`, { cause: e });
    }
    const line = split.lines.length + 1;
    const droppedBytes = split.torn.length;
    const message =
      `file store ${path}: cut a torn final record (line ${line}, ${droppedBytes} bytes ` +
      "without a newline) left by an interrupted write that was never acknowledged";
    opened.recovered = { line, droppedBytes, message };
  }

  let pending = header === undefined ? `${headerLine()}\n` : "";
  if (index.secureLogStreamGet("default") === undefined) {
    pending += `${recordLine(streamJson(defaultStream))}\n`;
    index.secureLogStreamUpsert(defaultStream);
  }
  if (pending !== "") {
    const add = encoder.encode(pending);
    try {
      fs.appendDurable(path, add);
    } catch (e) {
      throw new FileStoreError("io", `cannot create file store: ${messageOf(e)}`, { cause: e });
    }
    opened.size += add.length;
  }
  return opened;
}
