import type {
  DefValType,
  InstanceTypeDef,
  TypeDef as TypeDefAst,
  ValTypeRef,
} from "./binary/types";
import { PlugError } from "./errors";
import {
  newResource,
  type Extern,
  type FuncType,
  type InstanceType,
  type NamedType,
  type Owner,
  type Resource,
  type TypeDef,
  type ValType,
} from "./types";

/**
 * A type index space and the meaning of each index. Instance types, component
 * types and component bodies each start a new space; `alias outer` reaches
 * the enclosing ones through `parent`.
 */
export type TypeEntry =
  | { k: "val"; v: ValType }
  | { k: "named"; t: NamedType }
  | { k: "resource"; res: Resource }
  | { k: "func"; f: FuncType }
  /** An instance type is realized per use (each import gets fresh resources and its own owner). */
  | { k: "instance"; def: InstanceTypeDef; scope: TypeScope }
  | { k: "component"; def: TypeDefAst };

export interface TypeScope {
  parent?: TypeScope;
  types: TypeEntry[];
}

export function ancestor(scope: TypeScope, count: number): TypeScope {
  let s = scope;
  for (let i = 0; i < count; i++) {
    if (!s.parent)
      throw new PlugError("malformed", `alias outer ${count} leaves the outermost scope`);
    s = s.parent;
  }
  return s;
}

export function typeAt(scope: TypeScope, index: number): TypeEntry {
  const e = scope.types[index];
  if (!e) throw new PlugError("malformed", `type index ${index} out of range`);
  return e;
}

export function valType(scope: TypeScope, ref: ValTypeRef): ValType {
  if (typeof ref === "string") return { k: "prim", prim: ref };
  const e = typeAt(scope, ref);
  if (e.k === "val") return e.v;
  if (e.k === "named" && e.t.def.k === "eq") return { k: "named", t: e.t };
  throw new PlugError("malformed", `type index ${ref} is not a value type`);
}

export function resourceAt(scope: TypeScope, index: number): Resource {
  const e = typeAt(scope, index);
  if (e.k === "resource") return e.res;
  if (e.k === "named" && e.t.def.k === "resource") return e.t.def.res;
  throw new PlugError("malformed", `type index ${index} is not a resource`);
}

export function funcAt(scope: TypeScope, index: number): FuncType {
  const e = typeAt(scope, index);
  if (e.k !== "func")
    throw new PlugError("malformed", `type index ${index} is not a function type`);
  return e.f;
}

/** What a type export `(eq i)` declares: the same resource, or an alias of a value type. */
export function defOfEntry(scope: TypeScope, index: number): TypeDef {
  const e = typeAt(scope, index);
  if (e.k === "resource") return { k: "resource", res: e.res };
  if (e.k === "named")
    return e.t.def.k === "resource" ? e.t.def : { k: "eq", type: { k: "named", t: e.t } };
  return { k: "eq", type: valType(scope, index) };
}

function defValType(scope: TypeScope, def: DefValType): ValType {
  const v = (r: ValTypeRef) => valType(scope, r);
  switch (def.kind) {
    case "prim":
      return { k: "prim", prim: def.prim };
    case "record":
      return { k: "record", fields: def.fields.map((f) => ({ name: f.name, type: v(f.type) })) };
    case "variant":
      return {
        k: "variant",
        cases: def.cases.map((c) =>
          c.type === undefined ? { name: c.name } : { name: c.name, type: v(c.type) },
        ),
      };
    case "list":
      return def.length === undefined
        ? { k: "list", elem: v(def.elem) }
        : { k: "list", elem: v(def.elem), length: def.length };
    case "tuple":
      return { k: "tuple", types: def.types.map(v) };
    case "flags":
    case "enum":
      return { k: def.kind, names: [...def.names] };
    case "option":
      return { k: "option", type: v(def.type) };
    case "result":
      return {
        k: "result",
        ...(def.ok !== undefined && { ok: v(def.ok) }),
        ...(def.err !== undefined && { err: v(def.err) }),
      };
    case "own":
    case "borrow":
      return { k: def.kind, res: resourceAt(scope, def.index) };
    case "stream":
    case "future":
      return def.type === undefined ? { k: def.kind } : { k: def.kind, type: v(def.type) };
  }
}

/** The meaning of one type definition in `scope`. */
export function entryOfDef(scope: TypeScope, def: TypeDefAst): TypeEntry {
  switch (def.kind) {
    case "func": {
      const params = def.params.map((p) => ({ name: p.name, type: valType(scope, p.type) }));
      const f: FuncType = { async: def.async, params };
      if (def.result !== undefined) f.result = valType(scope, def.result);
      return { k: "func", f };
    }
    case "resource":
      return { k: "resource", res: newResource() };
    case "instance":
      return { k: "instance", def, scope };
    case "component":
      return { k: "component", def };
    default:
      return { k: "val", v: defValType(scope, def) };
  }
}

/**
 * Give an instance type its meaning for one use: abstract resources it
 * exports become fresh resources declared by `owner`, and its named types
 * are owned by `owner`.
 */
export function realizeInstance(entry: TypeEntry, owner: Owner): InstanceType {
  if (entry.k !== "instance") throw new PlugError("malformed", "expected an instance type");
  const scope: TypeScope = { parent: entry.scope, types: [] };
  const exports = new Map<string, Extern>();
  for (const decl of entry.def.decls) {
    if (decl.kind === "type") scope.types.push(entryOfDef(scope, decl.def));
    else if (decl.kind === "alias") {
      const a = decl.alias;
      if (a.kind !== "outer" || a.sort !== "type") {
        throw new PlugError(
          "unsupported",
          `${a.kind} alias of sort ${a.sort} inside an instance type`,
        );
      }
      scope.types.push(typeAt(ancestor(scope, a.count), a.index));
    } else if (decl.kind === "export") {
      const name = decl.name.name;
      const d = decl.desc;
      if (d.kind === "func") exports.set(name, { k: "func", f: funcAt(scope, d.index) });
      else if (d.kind === "type") {
        const def: TypeDef =
          d.bound === "sub-resource"
            ? { k: "resource", res: newResource({ owner, name }) }
            : defOfEntry(scope, d.bound.eq);
        const t: NamedType = { name, owner, def };
        scope.types.push({ k: "named", t });
        exports.set(name, { k: "type", t });
      } else if (d.kind === "instance") {
        const inner = realizeInstance(typeAt(scope, d.index), {
          side: owner.side,
          name: `${owner.name}#${name}`,
        });
        exports.set(name, { k: "instance", it: inner });
      } else {
        throw new PlugError("unsupported", `${d.kind} exports inside instance types`);
      }
    } else {
      throw new PlugError("malformed", "import declarator inside an instance type");
    }
  }
  return { exports };
}
