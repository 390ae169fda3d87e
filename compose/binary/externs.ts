import { PlugError } from "../errors";
import type { Reader, Writer } from "./leb";
import { readSort, writeSort, type Sort } from "./sorts";

/** What an import or export declares (`externdesc`), and aliases. */

export type TypeBound = { eq: number } | "sub-resource";

export type ExternDesc =
  | { kind: "module"; index: number }
  | { kind: "func"; index: number }
  | { kind: "type"; bound: TypeBound }
  | { kind: "component"; index: number }
  | { kind: "instance"; index: number };

export type Alias =
  | { kind: "export"; sort: Sort; instance: number; name: string }
  | { kind: "core-export"; sort: Sort; instance: number; name: string }
  | { kind: "outer"; sort: Sort; count: number; index: number };

export function readExternDesc(r: Reader): ExternDesc {
  const code = r.u8();
  switch (code) {
    case 0x00:
      if (r.u8() !== 0x11) r.fail("bad core extern desc");
      return { kind: "module", index: r.u32() };
    case 0x01:
      return { kind: "func", index: r.u32() };
    case 0x02:
      throw new PlugError("unsupported", "value imports and exports are not supported");
    case 0x03: {
      const b = r.u8();
      if (b === 0x00) return { kind: "type", bound: { eq: r.u32() } };
      if (b === 0x01) return { kind: "type", bound: "sub-resource" };
      return r.fail("bad type bound");
    }
    case 0x04:
      return { kind: "component", index: r.u32() };
    case 0x05:
      return { kind: "instance", index: r.u32() };
    default:
      return r.fail(`bad extern desc 0x${code.toString(16)}`);
  }
}

export function readAlias(r: Reader): Alias {
  const sort = readSort(r);
  const tag = r.u8();
  if (tag === 0x00) return { kind: "export", sort, instance: r.u32(), name: r.string() };
  if (tag === 0x01) return { kind: "core-export", sort, instance: r.u32(), name: r.string() };
  if (tag === 0x02) return { kind: "outer", sort, count: r.u32(), index: r.u32() };
  return r.fail(`bad alias tag 0x${tag.toString(16)}`);
}

export function writeExternDesc(w: Writer, d: ExternDesc): void {
  switch (d.kind) {
    case "module":
      w.u8(0x00).u8(0x11).u32(d.index);
      return;
    case "func":
      w.u8(0x01).u32(d.index);
      return;
    case "type":
      w.u8(0x03);
      if (d.bound === "sub-resource") w.u8(0x01);
      else w.u8(0x00).u32(d.bound.eq);
      return;
    case "component":
      w.u8(0x04).u32(d.index);
      return;
    case "instance":
      w.u8(0x05).u32(d.index);
      return;
  }
}

export function writeAlias(w: Writer, a: Alias): void {
  writeSort(w, a.sort);
  if (a.kind === "outer") w.u8(0x02).u32(a.count).u32(a.index);
  else
    w.u8(a.kind === "export" ? 0x00 : 0x01)
      .u32(a.instance)
      .string(a.name);
}
