import { externMismatch } from "./check";
import { PlugError } from "./errors";
import { compatKey, newest } from "./semver";
import { externKind, type Extern } from "./types";
import type { Wiring } from "./wiring";

/** An import still unsatisfied after wiring, as declared by one component. */
export interface PendingImport {
  comp: number;
  importName: string;
  ext: Extern;
}

/** One import of the composed component and the component imports it serves. */
export interface OuterImport {
  name: string;
  ext: Extern;
  members: PendingImport[];
}

/**
 * Turn the unsatisfied imports of all components into the outer imports.
 * Semver-compatible names become one import under the newest name. Instance
 * types are merged as a union of exports, because each component may import
 * only the functions it uses (componentize-js trims WASI interfaces this
 * way); an export both declare must have the same type in both.
 */
export function mergeImports(w: Wiring, pending: readonly PendingImport[]): OuterImport[] {
  const groups = new Map<string, PendingImport[]>();
  for (const p of pending) {
    const k = compatKey(p.importName);
    const g = groups.get(k);
    if (g) g.push(p);
    else groups.set(k, [p]);
  }
  const outers: OuterImport[] = [];
  for (const members of groups.values()) {
    const name = newest(members.map((m) => m.importName));
    for (const m of members) w.setOuter(m.comp, m.importName, name);
    outers.push({ name, ext: members[0]!.ext, members });
  }
  // Only now are all outer names known, which resource identity depends on.
  for (const outer of outers) outer.ext = mergeGroup(w, outer.members);
  return outers;
}

function describe(w: Wiring, p: PendingImport): string {
  return `\`${p.importName}\` of ${w.models[p.comp]!.label}`;
}

function mergeGroup(w: Wiring, members: PendingImport[]): Extern {
  const first = members[0]!;
  if (first.ext.k === "func") {
    for (const m of members.slice(1)) {
      const why = externMismatch(w, first.ext, m.ext);
      if (why) throw conflict(w, first, m, why);
    }
    return first.ext;
  }
  if (first.ext.k !== "instance") {
    throw new PlugError(
      "unsupported",
      `cannot merge ${externKind(first.ext)} import ${describe(w, first)}`,
    );
  }
  const exports = new Map<string, Extern>();
  for (const m of members) {
    if (m.ext.k !== "instance") {
      throw conflict(w, first, m, `one is an instance, the other a ${externKind(m.ext)}`);
    }
    for (const [name, e] of m.ext.it.exports) {
      const seen = exports.get(name);
      if (!seen) {
        exports.set(name, e);
        continue;
      }
      const why = externMismatch(w, seen, e);
      if (why) throw conflict(w, first, m, `\`${name}\`: ${why}`);
    }
  }
  return { k: "instance", it: { exports } };
}

function conflict(w: Wiring, a: PendingImport, b: PendingImport, why: string): PlugError {
  return new PlugError(
    "import-conflict",
    `cannot merge import ${describe(w, a)} with ${describe(w, b)}: ${why}`,
  );
}
