// Edits of the file store's JSON-lines data file, as an attacker or a bad disk
// would make them: one hex digit of an entry changed in place (the line stays
// valid JSON), or a malformed line put in.

import { readFile, writeFile } from "node:fs/promises";

type Json = Record<string, unknown>;

const SEQNO_KEY = /^seq_?no$/i;
const PAYLOAD_KEY = /^payload(_?hex)?$/i;
const HASH_KEY = /^entry_?hash(_?hex)?$/i;
const HEX = /^[0-9a-f]*$/i;

function seqnoOf(v: unknown): bigint | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^\d+$/.test(v)) return BigInt(v);
  return undefined;
}

/** The object (the line or one nested in it) that is entry `seqno`. */
function entryIn(value: unknown, seqno: bigint, depth = 0): Json | undefined {
  if (typeof value !== "object" || value === null || depth > 3) return undefined;
  const obj = value as Json;
  const keys = Object.keys(obj);
  const seqKey = keys.find((k) => SEQNO_KEY.test(k));
  const hasPayload = keys.some((k) => PAYLOAD_KEY.test(k) && typeof obj[k] === "string");
  if (seqKey !== undefined && hasPayload && seqnoOf(obj[seqKey]) === seqno) return obj;
  for (const v of Object.values(obj)) {
    const found = entryIn(v, seqno, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const flipDigit = (c: string) => {
  const flipped = (parseInt(c, 16) ^ 1).toString(16);
  return c === c.toUpperCase() ? flipped.toUpperCase() : flipped;
};

/**
 * Flips the lowest bit of the first hex digit of entry `seqno`'s payload (its
 * entry hash when the payload is empty), in place. Returns what it changed.
 */
export async function flipEntryByte(path: string, seqno: bigint): Promise<string> {
  const lines = (await readFile(path, "utf8")).split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let entry: Json | undefined;
    try {
      entry = entryIn(JSON.parse(line), seqno);
    } catch {
      continue;
    }
    if (entry === undefined) continue;
    const keys = Object.keys(entry);
    const payloadKey = keys.find((k) => PAYLOAD_KEY.test(k))!;
    const key =
      (entry[payloadKey] as string).length > 0 ? payloadKey : keys.find((k) => HASH_KEY.test(k));
    const value = key === undefined ? undefined : entry[key];
    if (key === undefined || typeof value !== "string" || value === "" || !HEX.test(value)) {
      throw new Error(`entry ${seqno} on line ${i + 1} has no hex payload or entry hash to flip`);
    }
    const field = new RegExp(`("${key}"\\s*:\\s*")${value}"`);
    if (!field.test(line))
      throw new Error(`cannot find "${key}" of entry ${seqno} on line ${i + 1}`);
    const changed = line.replace(
      field,
      (_, prefix: string) => `${prefix}${flipDigit(value[0]!)}${value.slice(1)}"`,
    );
    JSON.parse(changed);
    lines[i] = changed;
    await writeFile(path, lines.join("\n"));
    return `line ${i + 1}, "${key}": ${value.slice(0, 8)}… → ${flipDigit(value[0]!)}${value.slice(1, 8)}…`;
  }
  throw new Error(`no line of ${path} holds entry ${seqno}`);
}

/** Puts `text` in as line `lineNo` (1-based); returns the original content to restore. */
export async function insertLine(path: string, lineNo: number, text: string): Promise<string> {
  const original = await readFile(path, "utf8");
  const lines = original.split("\n");
  lines.splice(lineNo - 1, 0, text);
  await writeFile(path, lines.join("\n"));
  return original;
}
