// How a tegmentum:log/logger record becomes an entry, as the reference does it:
// the category is the stream ("default" when empty), the event type is "log",
// and the payload is the message, or {"message":…,"fields":{…}} when there
// are fields. The JSON escaping is the reference's byte for byte (it writes
// \u0008 where JSON.stringify would write \b).

export interface LoggerField {
  key: string;
  value: string;
}

export interface LoggerRecord {
  category: string;
  producer: string;
  message: string;
  fields: LoggerField[];
}

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

export function loggerStream(record: LoggerRecord): string {
  return record.category === "" ? "default" : record.category;
}

export const LOGGER_EVENT_TYPE = "log";

export function loggerPayload(record: LoggerRecord): Uint8Array {
  let text = record.message;
  if (record.fields.length > 0) {
    const fields = record.fields.map((f) => `${jsonString(f.key)}:${jsonString(f.value)}`);
    text = `{"message":${jsonString(record.message)},"fields":{${fields.join(",")}}}`;
  }
  return new TextEncoder().encode(text);
}
