import type { ComponentModel } from "./model";
import type { Owner, Resource } from "./types";

/** Which export feeds an import: a plug (by index into `models`) and its export name. */
export interface Source {
  provider: number;
  exportName: string;
}

/** Where a resource finally comes from once the components are wired together. */
export type ResourceHome =
  | { kind: "import"; outer: string; name: string }
  | { kind: "defined"; id: number }
  | { kind: "missing"; what: string };

/**
 * The wiring of a composition: for each import of each component, either the
 * plug export that satisfies it or the outer import it becomes. Resources are
 * compared through it: an imported resource is the same type as whatever the
 * import is wired to.
 */
export class Wiring {
  private readonly sources = new Map<string, Source>();
  private readonly outers = new Map<string, string>();
  private readonly owners = new Map<Owner, { comp: number; importName: string }>();

  constructor(readonly models: readonly ComponentModel[]) {
    models.forEach((m, comp) => {
      for (const [owner, importName] of m.importOwners)
        this.owners.set(owner, { comp, importName });
    });
  }

  connect(comp: number, importName: string, source: Source): void {
    this.sources.set(key(comp, importName), source);
  }

  source(comp: number, importName: string): Source | undefined {
    return this.sources.get(key(comp, importName));
  }

  setOuter(comp: number, importName: string, outer: string): void {
    this.outers.set(key(comp, importName), outer);
  }

  /** The outer import an unsatisfied import becomes. */
  outer(comp: number, importName: string): string | undefined {
    return this.outers.get(key(comp, importName));
  }

  /** The component and import an owner (an imported instance) belongs to, if any. */
  importOf(owner: Owner): { comp: number; importName: string } | undefined {
    return this.owners.get(owner);
  }

  resourceHome(r: Resource): ResourceHome {
    const home = r.home;
    const imp = home && this.importOf(home.owner);
    if (!home || !imp) return { kind: "defined", id: r.id };
    const src = this.source(imp.comp, imp.importName);
    if (!src) {
      const outer = this.outer(imp.comp, imp.importName) ?? imp.importName;
      return { kind: "import", outer, name: home.name };
    }
    const ext = this.models[src.provider]!.exports.get(src.exportName);
    const t = ext?.k === "instance" ? ext.it.exports.get(home.name) : undefined;
    if (t?.k === "type" && t.t.def.k === "resource") return this.resourceHome(t.t.def.res);
    return { kind: "missing", what: `${src.exportName}/${home.name}` };
  }

  sameResource(a: Resource, b: Resource): boolean {
    return homeKey(this.resourceHome(a)) === homeKey(this.resourceHome(b));
  }
}

export function homeKey(h: ResourceHome): string {
  if (h.kind === "import") return `import:${h.outer}/${h.name}`;
  if (h.kind === "defined") return `defined:${h.id}`;
  return `missing:${h.what}`;
}

function key(comp: number, importName: string): string {
  return `${comp}\u0000${importName}`;
}
