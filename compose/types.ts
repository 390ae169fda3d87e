import type { PrimName } from "./binary/types";

/**
 * Component types with their indices resolved: what a component's imports
 * and exports mean, independent of where in the binary they were declared.
 *
 * Two identities matter and are kept as object identity:
 * - a `Resource` is one abstract or defined resource type; two handles are
 *   the same type only if they point at the same resource;
 * - a `NamedType` is a type exported by an instance (a WIT `record`, `enum`,
 *   `use`d type …). Names are transparent for type equality but are needed
 *   to encode an import that `componentWit` can print as WIT.
 */

/** The instance (or the component itself) that declares a named type or resource. */
export interface Owner {
  side: "import" | "export" | "world";
  name: string;
}

export interface Resource {
  readonly id: number;
  /** Where the resource is declared, once known: the instance and the type's name in it. */
  home?: { owner: Owner; name: string };
}

export interface NamedType {
  readonly name: string;
  readonly owner: Owner;
  readonly def: TypeDef;
}

/** A type export is either a resource (declared here or `use`d from elsewhere) or an alias of a value type. */
export type TypeDef = { k: "resource"; res: Resource } | { k: "eq"; type: ValType };

export interface Field {
  name: string;
  type: ValType;
}

export type ValType =
  | { k: "prim"; prim: PrimName }
  | { k: "named"; t: NamedType }
  | { k: "record"; fields: Field[] }
  | { k: "variant"; cases: { name: string; type?: ValType }[] }
  | { k: "list"; elem: ValType; length?: number }
  | { k: "tuple"; types: ValType[] }
  | { k: "flags"; names: string[] }
  | { k: "enum"; names: string[] }
  | { k: "option"; type: ValType }
  | { k: "result"; ok?: ValType; err?: ValType }
  | { k: "own" | "borrow"; res: Resource }
  | { k: "stream" | "future"; type?: ValType };

export interface FuncType {
  async: boolean;
  params: Field[];
  result?: ValType;
}

export interface InstanceType {
  /** In declaration order, which is also a valid encoding order. */
  exports: Map<string, Extern>;
}

export interface ComponentType {
  imports: Map<string, Extern>;
  exports: Map<string, Extern>;
}

export type Extern =
  | { k: "func"; f: FuncType }
  | { k: "instance"; it: InstanceType }
  | { k: "type"; t: NamedType }
  | { k: "component"; ct: ComponentType }
  | { k: "module" };

let nextResourceId = 0;

export function newResource(home?: Resource["home"]): Resource {
  return home ? { id: nextResourceId++, home } : { id: nextResourceId++ };
}

/** Look through named types to the structure (names are transparent for equality). */
export function unname(t: ValType): ValType {
  let cur = t;
  while (cur.k === "named" && cur.t.def.k === "eq") cur = cur.t.def.type;
  return cur;
}

export function externKind(e: Extern): string {
  return e.k === "func" ? "function" : e.k;
}
