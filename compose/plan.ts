import { externMismatch } from "./check";
import { PlugError } from "./errors";
import { mergeImports, type OuterImport, type PendingImport } from "./merge";
import type { ComponentModel } from "./model";
import { compatKey } from "./semver";
import { Wiring, type Source } from "./wiring";

/**
 * Decide how the inputs connect: which export satisfies which import, in
 * which order plugs are instantiated, and what the output still imports.
 * `models[0]` is the socket, the rest are plugs in command-line order.
 */
export interface Plan {
  wiring: Wiring;
  /** Plugs to instantiate (indices into models), each after the plugs it imports from. */
  order: number[];
  outers: OuterImport[];
  warnings: string[];
}

export function planComposition(models: readonly ComponentModel[]): Plan {
  const wiring = new Wiring(models);
  const providers = indexExports(models);
  models.forEach((m, comp) => {
    for (const importName of m.imports.keys()) {
      const src =
        providers.exact.get(importName) ?? providers.compatible.get(compatKey(importName));
      if (src && src.provider !== comp) wiring.connect(comp, importName, src);
    }
  });
  checkCycles(wiring);

  const used = usedComponents(wiring);
  const warnings: string[] = [];
  for (let p = 1; p < models.length; p++) {
    if (!used.has(p)) {
      warnings.push(
        `plug ${models[p]!.label} satisfies no import of the socket or of a plug in use; it was left out`,
      );
    }
  }
  if (used.size === 1) {
    const exported = models.slice(1).flatMap((m) => [...m.exports.keys()]);
    throw new PlugError(
      "nothing-plugged",
      `no plug export matches an import of ${models[0]!.label} ` +
        `(the plugs export ${list(exported)}; ${models[0]!.label} imports ${list([...models[0]!.imports.keys()])})`,
    );
  }

  const pending: PendingImport[] = [];
  for (const comp of [...used].sort((a, b) => a - b)) {
    for (const [importName, ext] of models[comp]!.imports) {
      if (!wiring.source(comp, importName)) pending.push({ comp, importName, ext });
    }
  }
  const outers = mergeImports(wiring, pending);
  for (const comp of used) checkWires(wiring, comp);
  return { wiring, order: instantiationOrder(wiring, used), outers, warnings };
}

function list(names: readonly string[], max = 4): string {
  if (names.length === 0) return "nothing";
  const shown = names.slice(0, max).map((n) => `\`${n}\``);
  return names.length > max
    ? `${shown.join(", ")} and ${names.length - max} more`
    : shown.join(", ");
}

function indexExports(models: readonly ComponentModel[]) {
  const exact = new Map<string, Source>();
  const compatible = new Map<string, Source>();
  for (let provider = 1; provider < models.length; provider++) {
    for (const [exportName, ext] of models[provider]!.exports) {
      if (ext.k !== "instance" && ext.k !== "func") continue;
      const key = compatKey(exportName);
      const prior = compatible.get(key);
      if (prior) {
        const a = models[prior.provider]!.label;
        const b = models[provider]!.label;
        throw new PlugError(
          "duplicate-export",
          `plugs ${a} and ${b} both export \`${prior.exportName === exportName ? exportName : `${prior.exportName}\` / \`${exportName}`}\`; pass only one of them`,
        );
      }
      const src = { provider, exportName };
      exact.set(exportName, src);
      compatible.set(key, src);
    }
  }
  return { exact, compatible };
}

function dependencies(wiring: Wiring, comp: number): number[] {
  const deps = new Set<number>();
  for (const importName of wiring.models[comp]!.imports.keys()) {
    const src = wiring.source(comp, importName);
    if (src) deps.add(src.provider);
  }
  return [...deps];
}

function checkCycles(wiring: Wiring): void {
  const state = new Map<number, "visiting" | "done">();
  const stack: number[] = [];
  const visit = (p: number): void => {
    if (state.get(p) === "done") return;
    if (state.get(p) === "visiting") {
      const loop = [...stack.slice(stack.indexOf(p)), p].map((i) => wiring.models[i]!.label);
      throw new PlugError("cycle", `plugs import from each other in a cycle: ${loop.join(" -> ")}`);
    }
    state.set(p, "visiting");
    stack.push(p);
    for (const d of dependencies(wiring, p)) visit(d);
    stack.pop();
    state.set(p, "done");
  };
  for (let p = 1; p < wiring.models.length; p++) visit(p);
}

function usedComponents(wiring: Wiring): Set<number> {
  const used = new Set<number>([0]);
  const queue = [0];
  for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
    for (const d of dependencies(wiring, c)) {
      if (!used.has(d)) {
        used.add(d);
        queue.push(d);
      }
    }
  }
  return used;
}

function instantiationOrder(wiring: Wiring, used: Set<number>): number[] {
  const order: number[] = [];
  const seen = new Set<number>();
  const visit = (p: number): void => {
    if (seen.has(p)) return;
    seen.add(p);
    for (const d of dependencies(wiring, p)) visit(d);
    order.push(p);
  };
  for (let p = 1; p < wiring.models.length; p++) if (used.has(p)) visit(p);
  return order;
}

function checkWires(wiring: Wiring, comp: number): void {
  const consumer = wiring.models[comp]!;
  for (const [importName, want] of consumer.imports) {
    const src = wiring.source(comp, importName);
    if (!src) continue;
    const provider = wiring.models[src.provider]!;
    const why = externMismatch(wiring, want, provider.exports.get(src.exportName)!);
    if (why) {
      throw new PlugError(
        "type-mismatch",
        `${provider.label} export \`${src.exportName}\` does not match import \`${importName}\` of ${consumer.label}: ${why}`,
      );
    }
  }
}
