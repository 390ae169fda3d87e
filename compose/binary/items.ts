import type { Reader, Writer } from "./leb";
import { readExternName, writeExternName, type ExternName } from "./names";
import { readSortIdx, writeSortIdx, type SortIdx } from "./sorts";
import { readExternDesc, writeExternDesc, type ExternDesc } from "./externs";
import { readValTypeRef } from "./types";

/** Entries of the instance, canon, import and export sections. */

export type InstanceExpr =
  | { kind: "instantiate"; component: number; args: { name: string; item: SortIdx }[] }
  | { kind: "exports"; exports: { name: ExternName; item: SortIdx }[] };

export interface Import {
  name: ExternName;
  desc: ExternDesc;
}

export interface Export {
  name: ExternName;
  item: SortIdx;
  /** An ascribed type, which then is the export's type. */
  desc?: ExternDesc;
}

/** Of the canonical definitions only lifts create component functions; the rest make core functions. */
export type Canon = { kind: "lift"; typeIndex: number } | { kind: "core" };

export function readInstanceExpr(r: Reader): InstanceExpr {
  const tag = r.u8();
  if (tag === 0x00) {
    const component = r.u32();
    const args = r.vec(() => ({ name: r.string(), item: readSortIdx(r) }));
    return { kind: "instantiate", component, args };
  }
  if (tag === 0x01) {
    return {
      kind: "exports",
      exports: r.vec(() => ({ name: readExternName(r), item: readSortIdx(r) })),
    };
  }
  return r.fail(`bad instance expression 0x${tag.toString(16)}`);
}

export function writeInstanceExpr(w: Writer, e: InstanceExpr): void {
  if (e.kind === "instantiate") {
    w.u8(0x00).u32(e.component);
    w.vec(e.args, (w, a) => {
      w.string(a.name);
      writeSortIdx(w, a.item);
    });
  } else {
    w.u8(0x01).vec(e.exports, (w, x) => {
      writeExternName(w, x.name);
      writeSortIdx(w, x.item);
    });
  }
}

export function readImport(r: Reader): Import {
  return { name: readExternName(r), desc: readExternDesc(r) };
}

export function writeImport(w: Writer, i: Import): void {
  writeExternName(w, i.name);
  writeExternDesc(w, i.desc);
}

export function readExport(r: Reader): Export {
  const name = readExternName(r);
  const item = readSortIdx(r);
  const desc = r.optional(() => readExternDesc(r));
  return { name, item, ...(desc && { desc }) };
}

export function writeExport(w: Writer, e: Export): void {
  writeExternName(w, e.name);
  writeSortIdx(w, e.item);
  w.optional(e.desc, writeExternDesc);
}

function skipOpts(r: Reader): void {
  r.vec(() => {
    const opt = r.u8();
    if (opt >= 0x03 && opt <= 0x08 && opt !== 0x06) r.u32();
    else if (opt > 0x09) r.fail(`unknown canonical option 0x${opt.toString(16)}`);
  });
}

function skipCoreValType(r: Reader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.s33();
}

/** Read one canonical definition; only a lift's type matters to composition. */
export function readCanon(r: Reader): Canon {
  const op = r.u8();
  switch (op) {
    case 0x00: {
      if (r.u8() !== 0x00) r.fail("bad canon lift");
      r.u32();
      skipOpts(r);
      return { kind: "lift", typeIndex: r.u32() };
    }
    case 0x01:
      if (r.u8() !== 0x00) r.fail("bad canon lower");
      r.u32();
      skipOpts(r);
      break;
    case 0x09:
      if (r.u8() === 0x00) readValTypeRef(r);
      else if (r.u32() !== 0) r.fail("bad task.return result");
      skipOpts(r);
      break;
    case 0x0a:
    case 0x0b:
      skipCoreValType(r);
      r.u32();
      break;
    case 0x0f:
    case 0x10:
    case 0x16:
    case 0x17:
      r.u32();
      skipOpts(r);
      break;
    case 0x1c:
    case 0x1d:
      skipOpts(r);
      break;
    case 0x11:
    case 0x12:
    case 0x18:
    case 0x19:
    case 0x20:
    case 0x21:
    case 0x27:
    case 0x41:
      r.u32();
      r.u32();
      break;
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x06:
    case 0x0c:
    case 0x0e:
    case 0x13:
    case 0x14:
    case 0x15:
    case 0x1a:
    case 0x1b:
    case 0x29:
    case 0x2a:
    case 0x2b:
    case 0x2c:
    case 0x2d:
    case 0x40:
      r.u32();
      break;
    case 0x05:
    case 0x0d:
    case 0x1e:
    case 0x1f:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x28:
    case 0x42:
      break;
    default:
      r.fail(`unknown canonical definition 0x${op.toString(16)}`);
  }
  return { kind: "core" };
}
