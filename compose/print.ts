import type { Extern, FuncType, InstanceType, Resource, ValType } from "./types";

/** WIT-like text for types, used in error messages and debugging output. */

export function printResource(r: Resource): string {
  return r.home?.name ?? `resource#${r.id}`;
}

export function printVal(v: ValType): string {
  switch (v.k) {
    case "prim":
      return v.prim;
    case "named":
      return v.t.name;
    case "record":
      return `record { ${v.fields.map((f) => `${f.name}: ${printVal(f.type)}`).join(", ")} }`;
    case "variant":
      return `variant { ${v.cases.map((c) => (c.type ? `${c.name}(${printVal(c.type)})` : c.name)).join(", ")} }`;
    case "list":
      return v.length === undefined
        ? `list<${printVal(v.elem)}>`
        : `list<${printVal(v.elem)}, ${v.length}>`;
    case "tuple":
      return `tuple<${v.types.map(printVal).join(", ")}>`;
    case "flags":
    case "enum":
      return `${v.k} { ${v.names.join(", ")} }`;
    case "option":
      return `option<${printVal(v.type)}>`;
    case "result":
      if (!v.ok && !v.err) return "result";
      if (!v.err) return `result<${printVal(v.ok!)}>`;
      return `result<${v.ok ? printVal(v.ok) : "_"}, ${printVal(v.err)}>`;
    case "own":
      return `own<${printResource(v.res)}>`;
    case "borrow":
      return `borrow<${printResource(v.res)}>`;
    case "stream":
    case "future":
      return v.type ? `${v.k}<${printVal(v.type)}>` : v.k;
  }
}

export function printFunc(f: FuncType): string {
  const params = f.params.map((p) => `${p.name}: ${printVal(p.type)}`).join(", ");
  const head = `${f.async ? "async " : ""}func(${params})`;
  return f.result ? `${head} -> ${printVal(f.result)}` : head;
}

export function printExtern(name: string, e: Extern, indent = ""): string {
  switch (e.k) {
    case "func":
      return `${indent}${name}: ${printFunc(e.f)}`;
    case "type":
      if (e.t.def.k === "resource") {
        const home = e.t.def.res.home;
        return home && home.name !== name
          ? `${indent}type ${name} = ${home.name}`
          : `${indent}resource ${name}`;
      }
      return `${indent}type ${name} = ${printVal(e.t.def.type)}`;
    case "instance":
      return `${indent}${name}: ${printInstance(e.it, indent)}`;
    default:
      return `${indent}${name}: ${e.k}`;
  }
}

export function printInstance(it: InstanceType, indent = ""): string {
  const lines = [...it.exports].map(([n, e]) => printExtern(n, e, `${indent}  `));
  return `instance {\n${lines.join("\n")}\n${indent}}`;
}
