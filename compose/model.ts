import { PlugError } from "./errors";
import { evaluate } from "./evaluate";
import type { Extern, Owner } from "./types";

/**
 * What composition needs to know about one input: its bytes (nested
 * unchanged in the output) and the types of its imports and exports.
 */
export interface ComponentModel {
  /** "socket" or the plug's file stem, for messages. */
  label: string;
  bytes: Uint8Array;
  imports: Map<string, Extern>;
  exports: Map<string, Extern>;
  /** The owner object of each instance import, mapping resources and named types back to import names. */
  importOwners: Map<Owner, string>;
}

export function loadComponent(bytes: Uint8Array, label: string): ComponentModel {
  let evaluated;
  try {
    evaluated = evaluate(bytes, label);
  } catch (err) {
    if (err instanceof PlugError)
      throw new PlugError(err.code, `${label}: ${err.message}`, { cause: err });
    throw err;
  }
  const { type, importOwners } = evaluated;
  for (const [name, ext] of type.imports) {
    if (ext.k !== "instance" && ext.k !== "func") {
      throw new PlugError(
        "unsupported",
        `${label}: top-level ${ext.k} import \`${name}\` is not supported (only instance and function imports are)`,
      );
    }
  }
  return { label, bytes, imports: type.imports, exports: type.exports, importOwners };
}
