import { PlugError } from "../errors";
import type { Reader, Writer } from "./leb";
import { readExternName, writeExternName, type ExternName } from "./names";
import {
  readAlias,
  readExternDesc,
  writeAlias,
  writeExternDesc,
  type Alias,
  type ExternDesc,
} from "./externs";

/**
 * The type definitions of the component binary format as a faithful,
 * index-based AST: reading and then writing a definition gives back the
 * same bytes. Meaning (what an index refers to) is the evaluator's job.
 */

export const PRIMITIVES = {
  bool: 0x7f,
  s8: 0x7e,
  u8: 0x7d,
  s16: 0x7c,
  u16: 0x7b,
  s32: 0x7a,
  u32: 0x79,
  s64: 0x78,
  u64: 0x77,
  f32: 0x76,
  f64: 0x75,
  char: 0x74,
  string: 0x73,
  "error-context": 0x64,
} as const;

export type PrimName = keyof typeof PRIMITIVES;

const PRIM_BY_CODE = new Map<number, PrimName>(
  Object.entries(PRIMITIVES).map(([name, code]) => [code, name as PrimName]),
);

/** A value type in use position: a primitive, or an index into the type space. */
export type ValTypeRef = PrimName | number;

export interface LabeledType {
  name: string;
  type: ValTypeRef;
}

export type DefValType =
  | { kind: "prim"; prim: PrimName }
  | { kind: "record"; fields: LabeledType[] }
  | { kind: "variant"; cases: { name: string; type?: ValTypeRef }[] }
  | { kind: "list"; elem: ValTypeRef; length?: number }
  | { kind: "tuple"; types: ValTypeRef[] }
  | { kind: "flags"; names: string[] }
  | { kind: "enum"; names: string[] }
  | { kind: "option"; type: ValTypeRef }
  | { kind: "result"; ok?: ValTypeRef; err?: ValTypeRef }
  | { kind: "own" | "borrow"; index: number }
  | { kind: "stream" | "future"; type?: ValTypeRef };

export interface FuncTypeDef {
  kind: "func";
  async: boolean;
  params: LabeledType[];
  result?: ValTypeRef;
}

export interface ResourceTypeDef {
  kind: "resource";
  /** The core representation type byte (0x7f = i32). */
  rep: number;
  dtor?: number;
}

export interface InstanceTypeDef {
  kind: "instance";
  decls: Decl[];
}

export interface ComponentTypeDef {
  kind: "component";
  decls: Decl[];
}

export type TypeDef =
  DefValType | FuncTypeDef | ResourceTypeDef | InstanceTypeDef | ComponentTypeDef;

/** A declarator of an instance type (no imports) or a component type. */
export type Decl =
  | { kind: "type"; def: TypeDef }
  | { kind: "alias"; alias: Alias }
  | { kind: "export"; name: ExternName; desc: ExternDesc }
  | { kind: "import"; name: ExternName; desc: ExternDesc };

export function readValTypeRef(r: Reader): ValTypeRef {
  const v = r.s33();
  if (v >= 0) return v;
  const prim = PRIM_BY_CODE.get(v + 0x80);
  return prim ?? r.fail(`unknown value type ${v}`);
}

export function writeValTypeRef(w: Writer, t: ValTypeRef): void {
  if (typeof t === "number") w.s33(t);
  else w.u8(PRIMITIVES[t]);
}

function readLabeled(r: Reader): LabeledType {
  return { name: r.string(), type: readValTypeRef(r) };
}

/** `0x00 t` is one result; `0x01 0x00` is none (older encoders: an empty named list). */
function readResultList(r: Reader): ValTypeRef | undefined {
  const tag = r.u8();
  if (tag === 0x00) return readValTypeRef(r);
  if (tag === 0x01 && r.u32() === 0) return undefined;
  return r.fail("named function results are not supported");
}

export function readTypeDef(r: Reader): TypeDef {
  const code = r.u8();
  switch (code) {
    case 0x72:
      return { kind: "record", fields: r.vec(() => readLabeled(r)) };
    case 0x71:
      return {
        kind: "variant",
        cases: r.vec(() => {
          const name = r.string();
          const type = r.optional(() => readValTypeRef(r));
          if (r.u8() !== 0x00) r.fail("variant case refinement is not supported");
          return type === undefined ? { name } : { name, type };
        }),
      };
    case 0x70:
      return { kind: "list", elem: readValTypeRef(r) };
    case 0x67:
      return { kind: "list", elem: readValTypeRef(r), length: r.u32() };
    case 0x6f:
      return { kind: "tuple", types: r.vec(() => readValTypeRef(r)) };
    case 0x6e:
      return { kind: "flags", names: r.vec(() => r.string()) };
    case 0x6d:
      return { kind: "enum", names: r.vec(() => r.string()) };
    case 0x6b:
      return { kind: "option", type: readValTypeRef(r) };
    case 0x6a: {
      const ok = r.optional(() => readValTypeRef(r));
      const err = r.optional(() => readValTypeRef(r));
      return { kind: "result", ...(ok !== undefined && { ok }), ...(err !== undefined && { err }) };
    }
    case 0x69:
      return { kind: "own", index: r.u32() };
    case 0x68:
      return { kind: "borrow", index: r.u32() };
    case 0x66:
    case 0x65: {
      const type = r.optional(() => readValTypeRef(r));
      return { kind: code === 0x66 ? "stream" : "future", ...(type !== undefined && { type }) };
    }
    case 0x40:
    case 0x43: {
      const params = r.vec(() => readLabeled(r));
      const result = readResultList(r);
      return {
        kind: "func",
        async: code === 0x43,
        params,
        ...(result !== undefined && { result }),
      };
    }
    case 0x3f: {
      const rep = r.u8();
      const dtor = r.optional(() => r.u32());
      return { kind: "resource", rep, ...(dtor !== undefined && { dtor }) };
    }
    case 0x42:
      return { kind: "instance", decls: r.vec(() => readDecl(r, false)) };
    case 0x41:
      return { kind: "component", decls: r.vec(() => readDecl(r, true)) };
    case 0x63:
      throw new PlugError("unsupported", "map types are not supported");
    default: {
      const prim = PRIM_BY_CODE.get(code);
      if (prim) return { kind: "prim", prim };
      return r.fail(`unknown type definition 0x${code.toString(16)}`);
    }
  }
}

function readDecl(r: Reader, inComponent: boolean): Decl {
  const tag = r.u8();
  switch (tag) {
    case 0x00:
      throw new PlugError("unsupported", "core types inside component or instance types");
    case 0x01:
      return { kind: "type", def: readTypeDef(r) };
    case 0x02:
      return { kind: "alias", alias: readAlias(r) };
    case 0x03:
      if (!inComponent) r.fail("import declarator in an instance type");
      return { kind: "import", name: readExternName(r), desc: readExternDesc(r) };
    case 0x04:
      return { kind: "export", name: readExternName(r), desc: readExternDesc(r) };
    default:
      return r.fail(`bad declarator 0x${tag.toString(16)}`);
  }
}

function writeLabeled(w: Writer, l: LabeledType): void {
  w.string(l.name);
  writeValTypeRef(w, l.type);
}

export function writeTypeDef(w: Writer, def: TypeDef): void {
  const ref = (t: ValTypeRef) => writeValTypeRef(w, t);
  switch (def.kind) {
    case "prim":
      w.u8(PRIMITIVES[def.prim]);
      return;
    case "record":
      w.u8(0x72).vec(def.fields, writeLabeled);
      return;
    case "variant":
      w.u8(0x71).vec(def.cases, (w, c) => {
        w.string(c.name).optional(c.type, (_, t) => ref(t));
        w.u8(0x00);
      });
      return;
    case "list":
      if (def.length === undefined) {
        w.u8(0x70);
        ref(def.elem);
      } else {
        w.u8(0x67);
        ref(def.elem);
        w.u32(def.length);
      }
      return;
    case "tuple":
      w.u8(0x6f).vec(def.types, (_, t) => ref(t));
      return;
    case "flags":
    case "enum":
      w.u8(def.kind === "flags" ? 0x6e : 0x6d).vec(def.names, (w, n) => w.string(n));
      return;
    case "option":
      w.u8(0x6b);
      ref(def.type);
      return;
    case "result":
      w.u8(0x6a)
        .optional(def.ok, (_, t) => ref(t))
        .optional(def.err, (_, t) => ref(t));
      return;
    case "own":
    case "borrow":
      w.u8(def.kind === "own" ? 0x69 : 0x68).u32(def.index);
      return;
    case "stream":
    case "future":
      w.u8(def.kind === "stream" ? 0x66 : 0x65).optional(def.type, (_, t) => ref(t));
      return;
    case "func":
      w.u8(def.async ? 0x43 : 0x40).vec(def.params, writeLabeled);
      if (def.result === undefined) w.u8(0x01).u8(0x00);
      else {
        w.u8(0x00);
        ref(def.result);
      }
      return;
    case "resource":
      w.u8(0x3f)
        .u8(def.rep)
        .optional(def.dtor, (w, f) => w.u32(f));
      return;
    case "instance":
    case "component":
      w.u8(def.kind === "instance" ? 0x42 : 0x41).vec(def.decls, writeDecl);
      return;
  }
}

function writeDecl(w: Writer, d: Decl): void {
  switch (d.kind) {
    case "type":
      w.u8(0x01);
      writeTypeDef(w, d.def);
      return;
    case "alias":
      w.u8(0x02);
      writeAlias(w, d.alias);
      return;
    case "import":
    case "export":
      w.u8(d.kind === "import" ? 0x03 : 0x04);
      writeExternName(w, d.name);
      writeExternDesc(w, d.desc);
      return;
  }
}
