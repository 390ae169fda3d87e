import type {
  ComponentType,
  Extern,
  FuncType,
  InstanceType,
  NamedType,
  Resource,
  TypeDef,
  ValType,
} from "./types";

/**
 * Instantiating a component replaces the resources it imports with the ones
 * supplied by the arguments (Binary.md: "the actual type supplied is
 * immediately substituted for all uses of the import"). This file computes
 * that mapping and applies it to the component's export types.
 */

export type ResourceMap = Map<Resource, Resource>;

/** Record which supplied resource stands for each resource the import declares. */
export function unify(expected: Extern, actual: Extern, map: ResourceMap): void {
  if (expected.k === "type" && actual.k === "type") {
    const want = expected.t.def;
    const got = actual.t.def;
    if (
      want.k === "resource" &&
      got.k === "resource" &&
      !map.has(want.res) &&
      want.res !== got.res
    ) {
      map.set(want.res, got.res);
    }
  } else if (expected.k === "instance" && actual.k === "instance") {
    for (const [name, e] of expected.it.exports) {
      const a = actual.it.exports.get(name);
      if (a) unify(e, a, map);
    }
  }
}

export function substExterns(externs: Map<string, Extern>, map: ResourceMap): Map<string, Extern> {
  if (map.size === 0) return externs;
  return new Substituter(map).externs(externs);
}

class Substituter {
  private named = new Map<NamedType, NamedType>();

  constructor(private readonly map: ResourceMap) {}

  externs(externs: Map<string, Extern>): Map<string, Extern> {
    const out = new Map<string, Extern>();
    for (const [name, e] of externs) out.set(name, this.extern(e));
    return out;
  }

  extern(e: Extern): Extern {
    switch (e.k) {
      case "func":
        return { k: "func", f: this.func(e.f) };
      case "instance":
        return { k: "instance", it: this.instance(e.it) };
      case "type":
        return { k: "type", t: this.namedType(e.t) };
      case "component":
        return { k: "component", ct: this.component(e.ct) };
      case "module":
        return e;
    }
  }

  instance(it: InstanceType): InstanceType {
    return { exports: this.externs(it.exports) };
  }

  component(ct: ComponentType): ComponentType {
    return { imports: this.externs(ct.imports), exports: this.externs(ct.exports) };
  }

  func(f: FuncType): FuncType {
    const out: FuncType = {
      async: f.async,
      params: f.params.map((p) => ({ name: p.name, type: this.val(p.type) })),
    };
    if (f.result) out.result = this.val(f.result);
    return out;
  }

  resource(r: Resource): Resource {
    let cur = r;
    for (let next = this.map.get(cur); next; next = this.map.get(cur)) cur = next;
    return cur;
  }

  namedType(t: NamedType): NamedType {
    const done = this.named.get(t);
    if (done) return done;
    const def: TypeDef =
      t.def.k === "resource"
        ? { k: "resource", res: this.resource(t.def.res) }
        : { k: "eq", type: this.val(t.def.type) };
    const out: NamedType = { name: t.name, owner: t.owner, def };
    this.named.set(t, out);
    return out;
  }

  val(v: ValType): ValType {
    switch (v.k) {
      case "prim":
      case "flags":
      case "enum":
        return v;
      case "named":
        return { k: "named", t: this.namedType(v.t) };
      case "record":
        return {
          k: "record",
          fields: v.fields.map((f) => ({ name: f.name, type: this.val(f.type) })),
        };
      case "variant":
        return {
          k: "variant",
          cases: v.cases.map((c) =>
            c.type ? { name: c.name, type: this.val(c.type) } : { name: c.name },
          ),
        };
      case "list":
        return { ...v, elem: this.val(v.elem) };
      case "tuple":
        return { k: "tuple", types: v.types.map((t) => this.val(t)) };
      case "option":
        return { k: "option", type: this.val(v.type) };
      case "result":
        return {
          k: "result",
          ...(v.ok && { ok: this.val(v.ok) }),
          ...(v.err && { err: this.val(v.err) }),
        };
      case "own":
      case "borrow":
        return { k: v.k, res: this.resource(v.res) };
      case "stream":
      case "future":
        return v.type ? { k: v.k, type: this.val(v.type) } : v;
    }
  }
}
