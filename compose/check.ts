import { printFunc, printVal } from "./print";
import {
  externKind,
  unname,
  type Extern,
  type FuncType,
  type TypeDef,
  type ValType,
} from "./types";
import type { Wiring } from "./wiring";

/**
 * Type compatibility under a wiring. Value and function types must be equal
 * (names of types are transparent; resources must be the same resource once
 * wired); an instance may export more than is expected of it. Each function
 * returns why two types differ, or undefined when they are compatible.
 */

export function valMismatch(w: Wiring, want: ValType, got: ValType): string | undefined {
  const a = unname(want);
  const b = unname(got);
  const differ = () => `expected \`${printVal(want)}\`, found \`${printVal(got)}\``;
  if (a.k !== b.k) return differ();
  switch (a.k) {
    case "prim":
      return a.prim === (b as typeof a).prim ? undefined : differ();
    case "flags":
    case "enum": {
      const names = (b as typeof a).names;
      return a.names.length === names.length && a.names.every((n, i) => n === names[i])
        ? undefined
        : differ();
    }
    case "record": {
      const fields = (b as typeof a).fields;
      if (a.fields.length !== fields.length) return differ();
      for (let i = 0; i < fields.length; i++) {
        if (a.fields[i]!.name !== fields[i]!.name) return differ();
        const why = valMismatch(w, a.fields[i]!.type, fields[i]!.type);
        if (why) return `field \`${a.fields[i]!.name}\`: ${why}`;
      }
      return undefined;
    }
    case "variant": {
      const cases = (b as typeof a).cases;
      if (a.cases.length !== cases.length) return differ();
      for (let i = 0; i < cases.length; i++) {
        const x = a.cases[i]!;
        const y = cases[i]!;
        if (x.name !== y.name || !x.type !== !y.type) return differ();
        const why = x.type && y.type ? valMismatch(w, x.type, y.type) : undefined;
        if (why) return `case \`${x.name}\`: ${why}`;
      }
      return undefined;
    }
    case "list": {
      const y = b as typeof a;
      return a.length !== y.length ? differ() : valMismatch(w, a.elem, y.elem);
    }
    case "tuple": {
      const types = (b as typeof a).types;
      if (a.types.length !== types.length) return differ();
      for (let i = 0; i < types.length; i++) {
        const why = valMismatch(w, a.types[i]!, types[i]!);
        if (why) return why;
      }
      return undefined;
    }
    case "option":
      return valMismatch(w, a.type, (b as typeof a).type);
    case "result": {
      const y = b as typeof a;
      if (!a.ok !== !y.ok || !a.err !== !y.err) return differ();
      return (
        (a.ok && valMismatch(w, a.ok, y.ok!)) ||
        (a.err && valMismatch(w, a.err, y.err!)) ||
        undefined
      );
    }
    case "own":
    case "borrow":
      return w.sameResource(a.res, (b as typeof a).res)
        ? undefined
        : `${differ()} (a different resource)`;
    case "stream":
    case "future": {
      const y = b as typeof a;
      if (!a.type !== !y.type) return differ();
      return a.type ? valMismatch(w, a.type, y.type!) : undefined;
    }
  }
}

export function funcMismatch(w: Wiring, want: FuncType, got: FuncType): string | undefined {
  const differ = `expected \`${printFunc(want)}\`, found \`${printFunc(got)}\``;
  if (want.async !== got.async || want.params.length !== got.params.length) return differ;
  if (want.params.some((p, i) => p.name !== got.params[i]!.name)) return differ;
  if (!want.result !== !got.result) return differ;
  for (let i = 0; i < want.params.length; i++) {
    if (valMismatch(w, want.params[i]!.type, got.params[i]!.type)) return differ;
  }
  if (want.result && valMismatch(w, want.result, got.result!)) return differ;
  return undefined;
}

function typeDefMismatch(w: Wiring, want: TypeDef, got: TypeDef): string | undefined {
  if (want.k === "resource") {
    if (got.k !== "resource") return "expected a resource, found a value type";
    return w.sameResource(want.res, got.res) ? undefined : "a different resource";
  }
  if (got.k === "resource") return "expected a value type, found a resource";
  return valMismatch(w, want.type, got.type);
}

/** Why `got` cannot stand for `want`, naming the item at fault; undefined if it can. */
export function externMismatch(w: Wiring, want: Extern, got: Extern): string | undefined {
  if (want.k !== got.k) return `expected ${externKind(want)}, found ${externKind(got)}`;
  switch (want.k) {
    case "func":
      return funcMismatch(w, want.f, (got as typeof want).f);
    case "type":
      return typeDefMismatch(w, want.t.def, (got as typeof want).t.def);
    case "instance": {
      const have = (got as typeof want).it.exports;
      for (const [name, e] of want.it.exports) {
        const g = have.get(name);
        if (!g) return `\`${name}\` is missing`;
        const why = externMismatch(w, e, g);
        if (why) return `\`${name}\`: ${why}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
