// Writes a JsonValue (integers as bigint, see src/core/json.ts) as compact JSON
// text. JSON.stringify cannot: it throws on bigint.

import { jsonString, type JsonValue } from "../core/json";

export function serializeJson(v: JsonValue): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return jsonString(v);
  if (Array.isArray(v)) return "[" + v.map(serializeJson).join(",") + "]";
  const parts: string[] = [];
  for (const key of Object.keys(v)) parts.push(jsonString(key) + ":" + serializeJson(v[key]!));
  return "{" + parts.join(",") + "}";
}
