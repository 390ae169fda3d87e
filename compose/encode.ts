import type { ComponentBuilder } from "./binary/builder";
import type { Decl, InstanceTypeDef, TypeDef as TypeDefAst, ValTypeRef } from "./binary/types";
import { PlugError } from "./errors";
import type { FuncType, InstanceType, Owner, Resource, ValType } from "./types";
import type { Wiring } from "./wiring";

/**
 * Encodes merged import types back to binary definitions. A named type owned
 * by another outer import is reached by an alias of that import's export (as
 * wit-component does), so `componentWit` prints it as a `use`; everything
 * else is defined in place.
 */

export interface OuterTypes {
  /** Top-level type index of type `name` exported by outer import `outer`, aliased on first use. */
  typeIndex(outer: string, name: string): number;
}

abstract class TypeEncoder {
  private readonly defs = new Map<string, number>();

  constructor(
    protected readonly wiring: Wiring,
    protected readonly self: string | undefined,
  ) {}

  /** Append a type definition in this scope and return its index. */
  protected abstract define(def: TypeDefAst): number;
  /** Index, in this scope, of a type exported by another outer import. */
  protected abstract foreign(outer: string, name: string): number;
  /** Index of a type this instance type exports itself. */
  protected abstract local(name: string): number;

  protected def(def: TypeDefAst): number {
    const key = JSON.stringify(def);
    let index = this.defs.get(key);
    if (index === undefined) {
      index = this.define(def);
      this.defs.set(key, index);
    }
    return index;
  }

  protected outerOf(owner: Owner, what: string): string {
    const imp = this.wiring.importOf(owner);
    if (!imp) throw new PlugError("unsupported", `type \`${what}\` does not come from an import`);
    const outer = this.wiring.outer(imp.comp, imp.importName);
    if (outer === undefined) {
      const label = this.wiring.models[imp.comp]!.label;
      throw new PlugError(
        "unsupported",
        `an outer import uses type \`${what}\` from \`${imp.importName}\` of ${label}, which a plug satisfies; ` +
          `plug every interface that uses it too, or none of them`,
      );
    }
    return outer;
  }

  protected named(owner: Owner, name: string): number {
    const outer = this.outerOf(owner, name);
    return outer === this.self ? this.local(name) : this.foreign(outer, name);
  }

  protected resource(r: Resource): number {
    const home = this.wiring.resourceHome(r);
    if (home.kind !== "import") {
      throw new PlugError("unsupported", `an outer import uses a resource that a plug defines`);
    }
    return home.outer === this.self ? this.local(home.name) : this.foreign(home.outer, home.name);
  }

  val(v: ValType): ValTypeRef {
    const ref = (t: ValType) => this.val(t);
    switch (v.k) {
      case "prim":
        return v.prim;
      case "named":
        return this.named(v.t.owner, v.t.name);
      case "record":
        return this.def({
          kind: "record",
          fields: v.fields.map((f) => ({ name: f.name, type: ref(f.type) })),
        });
      case "variant":
        return this.def({
          kind: "variant",
          cases: v.cases.map((c) =>
            c.type ? { name: c.name, type: ref(c.type) } : { name: c.name },
          ),
        });
      case "list":
        return this.def({
          kind: "list",
          elem: ref(v.elem),
          ...(v.length !== undefined && { length: v.length }),
        });
      case "tuple":
        return this.def({ kind: "tuple", types: v.types.map(ref) });
      case "flags":
      case "enum":
        return this.def({ kind: v.k, names: v.names });
      case "option":
        return this.def({ kind: "option", type: ref(v.type) });
      case "result":
        return this.def({
          kind: "result",
          ...(v.ok && { ok: ref(v.ok) }),
          ...(v.err && { err: ref(v.err) }),
        });
      case "own":
      case "borrow":
        return this.def({ kind: v.k, index: this.resource(v.res) });
      case "stream":
      case "future":
        return this.def({ kind: v.k, ...(v.type && { type: ref(v.type) }) });
    }
  }

  func(f: FuncType): number {
    const params = f.params.map((p) => ({ name: p.name, type: this.val(p.type) }));
    const result = f.result && this.val(f.result);
    return this.def({
      kind: "func",
      async: f.async,
      params,
      ...(result !== undefined && { result }),
    });
  }
}

/** Encodes the type of one outer instance import. */
export class InstanceTypeEncoder extends TypeEncoder {
  private readonly decls: Decl[] = [];
  private count = 0;
  private readonly locals = new Map<string, number>();
  private readonly aliases = new Map<string, number>();

  constructor(
    wiring: Wiring,
    self: string,
    private readonly it: InstanceType,
    private readonly outerTypes: OuterTypes,
  ) {
    super(wiring, self);
  }

  encode(): InstanceTypeDef {
    for (const [name, ext] of this.it.exports) {
      if (ext.k === "type") this.local(name);
      else if (ext.k === "func") {
        const index = this.func(ext.f);
        this.decls.push({ kind: "export", name: { name }, desc: { kind: "func", index } });
      } else {
        throw new PlugError(
          "unsupported",
          `${ext.k} \`${name}\` inside imported instance \`${this.self}\``,
        );
      }
    }
    return { kind: "instance", decls: this.decls };
  }

  protected define(def: TypeDefAst): number {
    this.decls.push({ kind: "type", def });
    return this.count++;
  }

  protected foreign(outer: string, name: string): number {
    const key = `${outer}\u0000${name}`;
    let index = this.aliases.get(key);
    if (index === undefined) {
      const target = this.outerTypes.typeIndex(outer, name);
      this.decls.push({
        kind: "alias",
        alias: { kind: "outer", sort: "type", count: 1, index: target },
      });
      index = this.count++;
      this.aliases.set(key, index);
    }
    return index;
  }

  /** Export type `name` of this instance (and, first, whatever it refers to). */
  protected local(name: string): number {
    const done = this.locals.get(name);
    if (done !== undefined) return done;
    const ext = this.it.exports.get(name);
    if (ext?.k !== "type")
      throw new PlugError("unsupported", `\`${this.self}\` has no type \`${name}\``);
    let eq: number | undefined;
    if (ext.t.def.k === "resource") {
      const home = this.wiring.resourceHome(ext.t.def.res);
      if (home.kind === "import" && home.outer === this.self && home.name === name) eq = undefined;
      else eq = this.resource(ext.t.def.res);
    } else {
      const t = this.val(ext.t.def.type);
      eq = typeof t === "number" ? t : this.def({ kind: "prim", prim: t });
    }
    const bound = eq === undefined ? ("sub-resource" as const) : { eq };
    this.decls.push({ kind: "export", name: { name }, desc: { kind: "type", bound } });
    const index = this.count++;
    this.locals.set(name, index);
    return index;
  }
}

/** Encodes types at the top level of the output (for function imports). */
export class ComponentTypeEncoder extends TypeEncoder {
  constructor(
    wiring: Wiring,
    private readonly builder: ComponentBuilder,
    private readonly outerTypes: OuterTypes,
  ) {
    super(wiring, undefined);
  }

  protected define(def: TypeDefAst): number {
    return this.builder.type(def);
  }

  protected foreign(outer: string, name: string): number {
    return this.outerTypes.typeIndex(outer, name);
  }

  protected local(name: string): number {
    throw new PlugError("unsupported", `type \`${name}\` at the top level`);
  }
}
