import { Reader } from "./binary/leb";
import {
  readCanon,
  readExport,
  readImport,
  readInstanceExpr,
  type InstanceExpr,
} from "./binary/items";
import { readSections, SectionId } from "./binary/sections";
import type { SortIdx } from "./binary/sorts";
import { readAlias, type Alias, type ExternDesc } from "./binary/externs";
import { readTypeDef } from "./binary/types";
import { PlugError } from "./errors";
import {
  ancestor,
  defOfEntry,
  entryOfDef,
  funcAt,
  realizeInstance,
  typeAt,
  type TypeEntry,
  type TypeScope,
} from "./scope";
import { substExterns, unify, type ResourceMap } from "./subst";
import {
  newResource,
  type ComponentType,
  type Extern,
  type FuncType,
  type InstanceType,
  type Owner,
} from "./types";

/**
 * Walk a component's sections and track its component-level index spaces
 * (types, functions, instances, components) far enough to know the type of
 * every import and export. Core index spaces are not tracked: nothing at the
 * component level takes its type from them (a lift names its type).
 */
export interface Evaluated {
  type: ComponentType;
  /** The owner of each top-level instance import, for mapping resources back to import names. */
  importOwners: Map<Owner, string>;
}

const WORLD: Owner = { side: "world", name: "" };

class ComponentScope implements TypeScope {
  types: TypeEntry[] = [];
  funcs: FuncType[] = [];
  instances: InstanceType[] = [];
  components: ComponentType[] = [];
  imports = new Map<string, Extern>();
  exports = new Map<string, Extern>();
  importOwners = new Map<Owner, string>();

  constructor(readonly parent?: ComponentScope) {}
}

function at<T>(space: T[], index: number, what: string): T {
  const x = space[index];
  if (x === undefined) throw new PlugError("malformed", `${what} index ${index} out of range`);
  return x;
}

export function evaluate(bytes: Uint8Array, label: string): Evaluated {
  const scope = evaluateBody(bytes, label);
  return {
    type: { imports: scope.imports, exports: scope.exports },
    importOwners: scope.importOwners,
  };
}

function evaluateBody(bytes: Uint8Array, label: string, parent?: ComponentScope): ComponentScope {
  const s = new ComponentScope(parent);
  for (const section of readSections(bytes, label)) {
    const r = new Reader(section.payload);
    switch (section.id) {
      case SectionId.type:
        r.vec(() => s.types.push(entryOfDef(s, readTypeDef(r))));
        break;
      case SectionId.import:
        r.vec(() => {
          const { name, desc } = readImport(r);
          const owner: Owner = { side: "import", name: name.name };
          const ext = externOfDesc(s, desc, owner);
          if (ext.k === "instance") s.importOwners.set(owner, name.name);
          push(s, ext);
          s.imports.set(name.name, ext);
        });
        break;
      case SectionId.alias:
        r.vec(() => alias(s, readAlias(r)));
        break;
      case SectionId.instance:
        r.vec(() => s.instances.push(instance(s, readInstanceExpr(r))));
        break;
      case SectionId.canon:
        r.vec(() => {
          const c = readCanon(r);
          if (c.kind === "lift") s.funcs.push(funcAt(s, c.typeIndex));
        });
        break;
      case SectionId.component:
        s.components.push(componentOf(evaluateBody(section.payload, `${label} (nested)`, s)));
        break;
      case SectionId.export:
        r.vec(() => {
          const e = readExport(r);
          const owner: Owner = { side: "export", name: e.name.name };
          const ext = e.desc
            ? externOfDesc(s, e.desc, owner)
            : externOfItem(s, e.item, e.name.name);
          push(s, ext);
          s.exports.set(e.name.name, ext);
        });
        break;
      case SectionId.start:
      case SectionId.value:
        throw new PlugError("unsupported", `${label} uses start or value definitions`);
      default:
        // Custom sections and the core sections: nothing at the component level depends on them.
        break;
    }
  }
  return s;
}

function componentOf(s: ComponentScope): ComponentType {
  return { imports: s.imports, exports: s.exports };
}

/** Imports and exports add an index to the space of their sort. */
function push(s: ComponentScope, ext: Extern): void {
  switch (ext.k) {
    case "func":
      s.funcs.push(ext.f);
      break;
    case "instance":
      s.instances.push(ext.it);
      break;
    case "component":
      s.components.push(ext.ct);
      break;
    case "type":
      s.types.push({ k: "named", t: ext.t });
      break;
    case "module":
      break;
  }
}

function externOfDesc(s: ComponentScope, d: ExternDesc, owner: Owner): Extern {
  switch (d.kind) {
    case "func":
      return { k: "func", f: funcAt(s, d.index) };
    case "instance":
      return { k: "instance", it: realizeInstance(typeAt(s, d.index), owner) };
    case "type": {
      const def =
        d.bound === "sub-resource"
          ? { k: "resource" as const, res: newResource({ owner: WORLD, name: owner.name }) }
          : defOfEntry(s, d.bound.eq);
      return { k: "type", t: { name: owner.name, owner: WORLD, def } };
    }
    case "module":
      return { k: "module" };
    case "component":
      throw new PlugError("unsupported", `component-typed import or export \`${owner.name}\``);
  }
}

function externOfItem(s: ComponentScope, item: SortIdx, name = ""): Extern {
  switch (item.sort) {
    case "func":
      return { k: "func", f: at(s.funcs, item.index, "function") };
    case "instance":
      return { k: "instance", it: at(s.instances, item.index, "instance") };
    case "component":
      return { k: "component", ct: at(s.components, item.index, "component") };
    case "type":
      return { k: "type", t: { name, owner: WORLD, def: defOfEntry(s, item.index) } };
    case "core module":
      return { k: "module" };
    default:
      throw new PlugError("unsupported", `${item.sort} items in instantiate arguments or exports`);
  }
}

function alias(s: ComponentScope, a: Alias): void {
  if (a.kind === "core-export" || a.sort.startsWith("core ")) return;
  if (a.kind === "outer") {
    const target = ancestor(s, a.count) as ComponentScope;
    if (a.sort === "type") s.types.push(typeAt(target, a.index));
    else if (a.sort === "component") s.components.push(at(target.components, a.index, "component"));
    else throw new PlugError("malformed", `outer alias of sort ${a.sort}`);
    return;
  }
  const inst = at(s.instances, a.instance, "instance");
  const ext = inst.exports.get(a.name);
  if (!ext) throw new PlugError("malformed", `instance ${a.instance} has no export \`${a.name}\``);
  push(s, ext);
}

function instance(s: ComponentScope, e: InstanceExpr): InstanceType {
  if (e.kind === "exports") {
    const exports = new Map<string, Extern>();
    for (const x of e.exports) exports.set(x.name.name, externOfItem(s, x.item, x.name.name));
    return { exports };
  }
  const ct = at(s.components, e.component, "component");
  const args = new Map(e.args.map((a) => [a.name, externOfItem(s, a.item)]));
  const map: ResourceMap = new Map();
  for (const [name, expected] of ct.imports) {
    const actual = args.get(name);
    if (!actual) throw new PlugError("malformed", `instantiation is missing argument \`${name}\``);
    unify(expected, actual, map);
  }
  return { exports: substExterns(ct.exports, map) };
}
