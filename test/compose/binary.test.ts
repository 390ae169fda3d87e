import { describe, expect, test } from "vitest";
import {
  readExport,
  readImport,
  readInstanceExpr,
  writeExport,
  writeImport,
  writeInstanceExpr,
} from "../../compose/binary/items";
import { Reader, Writer } from "../../compose/binary/leb";
import { readExternName, writeExternName } from "../../compose/binary/names";
import { readSections, SectionId } from "../../compose/binary/sections";
import { readAlias, writeAlias } from "../../compose/binary/externs";
import { readTypeDef, readValTypeRef, writeTypeDef } from "../../compose/binary/types";
import { PlugError } from "../../compose/errors";
import { plug } from "../../compose/plug";
import { componentFromWit } from "./fixtures";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

describe("LEB128", () => {
  test.each([
    [0, "00"],
    [127, "7f"],
    [128, "8001"],
    [624485, "e58e26"],
    [0xffffffff, "ffffffff0f"],
  ])("u32 %d <-> %s", (value, encoded) => {
    expect(hex(new Writer().u32(value).finish())).toBe(encoded);
    expect(new Reader(bytes(encoded)).u32()).toBe(value);
  });

  // Type indices in value-type positions are s33: 64 needs two bytes, or it would read as a primitive.
  test.each([
    [0, "00"],
    [63, "3f"],
    [64, "c000"],
    [-1, "7f"],
    [-64, "40"],
    [-65, "bf7f"],
    [0xffffffff, "ffffffff0f"],
  ])("s33 %d <-> %s", (value, encoded) => {
    expect(hex(new Writer().s33(value).finish())).toBe(encoded);
    expect(new Reader(bytes(encoded)).s33()).toBe(value);
  });

  test("value types: negative s33 is a primitive, non-negative an index", () => {
    expect(readValTypeRef(new Reader(bytes("73")))).toBe("string");
    expect(readValTypeRef(new Reader(bytes("64")))).toBe("error-context");
    expect(readValTypeRef(new Reader(bytes("c000")))).toBe(64);
  });

  test("a truncated value is a PlugError, not a RangeError", () => {
    expect(() => new Reader(bytes("80")).u32()).toThrow(PlugError);
  });
});

describe("extern names", () => {
  test("0x00 and the legacy 0x01 discriminant read the same name", () => {
    expect(readExternName(new Reader(bytes("0003616263")))).toEqual({ name: "abc" });
    expect(readExternName(new Reader(bytes("0103616263")))).toEqual({ name: "abc" });
  });

  test("0x02 names keep their attributes", () => {
    const name = { name: "a:b/c@1.2", attributes: [{ kind: 1 as const, value: ".3" }] };
    const w = new Writer();
    writeExternName(w, name);
    const encoded = w.finish();
    expect(hex(encoded)).toBe(`02${"09"}${hex(new TextEncoder().encode(name.name))}0101022e33`);
    expect(readExternName(new Reader(encoded))).toEqual(name);
  });

  test("plain names are written with 0x00", () => {
    const w = new Writer();
    writeExternName(w, { name: "x" });
    expect(hex(w.finish())).toBe("000178");
  });
});

/** Re-encode every entry of the sections we model and compare with the original bytes. */
function expectRoundTrip(component: Uint8Array): number {
  let checked = 0;
  for (const s of readSections(component, "test")) {
    if (s.id === SectionId.component) {
      checked += expectRoundTrip(s.payload);
      continue;
    }
    const entry = {
      [SectionId.type]: [readTypeDef, writeTypeDef],
      [SectionId.import]: [readImport, writeImport],
      [SectionId.export]: [readExport, writeExport],
      [SectionId.alias]: [readAlias, writeAlias],
      [SectionId.instance]: [readInstanceExpr, writeInstanceExpr],
    }[s.id] as [(r: Reader) => unknown, (w: Writer, x: unknown) => void] | undefined;
    if (!entry) continue;
    const r = new Reader(s.payload);
    const w = new Writer();
    w.vec(
      r.vec(() => entry[0](r)),
      (w, x) => entry[1](w, x),
    );
    expect(r.done).toBe(true);
    expect(hex(w.finish())).toBe(hex(s.payload));
    checked++;
  }
  return checked;
}

describe("reader and writer round-trip", () => {
  const wit = `package t:rt;
    interface types {
      resource file { constructor(p: string); read: func(n: u32) -> result<list<u8>, string>; }
      variant v { a, b(u32), c(tuple<s8, f64, char>) }
      enum e { x, y }
      flags fl { p, q }
      record r { a: v, b: e, c: fl, d: option<borrow<file>> }
      get: func(x: r) -> list<list<string>>;
    }
    interface api { use types.{file, r}; make: func() -> file; take: func(x: r); }
    world socket { import api; export types; export run: func(); }
    world plug { export api; }`;

  test("a wit-component output", async () => {
    const c = await componentFromWit(wit, "socket");
    expect(expectRoundTrip(c)).toBeGreaterThan(5);
  });

  test("a composed output, including the nested inputs", async () => {
    const socket = { name: "socket", bytes: await componentFromWit(wit, "socket") };
    const p = { name: "plug", bytes: await componentFromWit(wit, "plug") };
    expect(expectRoundTrip(plug(socket, [p]).bytes)).toBeGreaterThan(10);
  });
});
