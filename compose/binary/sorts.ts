import type { Reader, Writer } from "./leb";

/**
 * What an index refers to. Component sorts have a one-byte code; core sorts
 * are `0x00` followed by the core sort byte.
 */
export type Sort =
  | "func"
  | "value"
  | "type"
  | "component"
  | "instance"
  | "core func"
  | "core table"
  | "core memory"
  | "core global"
  | "core tag"
  | "core type"
  | "core module"
  | "core instance";

const COMPONENT_SORTS: Record<number, Sort> = {
  0x01: "func",
  0x02: "value",
  0x03: "type",
  0x04: "component",
  0x05: "instance",
};

const CORE_SORTS: Record<number, Sort> = {
  0x00: "core func",
  0x01: "core table",
  0x02: "core memory",
  0x03: "core global",
  0x04: "core tag",
  0x10: "core type",
  0x11: "core module",
  0x12: "core instance",
};

const CODES = new Map<Sort, number[]>([
  ...Object.entries(COMPONENT_SORTS).map(([c, s]) => [s, [Number(c)]] as [Sort, number[]]),
  ...Object.entries(CORE_SORTS).map(([c, s]) => [s, [0x00, Number(c)]] as [Sort, number[]]),
]);

export function readSort(r: Reader): Sort {
  const code = r.u8();
  if (code === 0x00) {
    const core = r.u8();
    return CORE_SORTS[core] ?? r.fail(`bad core sort 0x${core.toString(16)}`);
  }
  return COMPONENT_SORTS[code] ?? r.fail(`bad sort 0x${code.toString(16)}`);
}

export function writeSort(w: Writer, sort: Sort): void {
  for (const b of CODES.get(sort)!) w.u8(b);
}

export interface SortIdx {
  sort: Sort;
  index: number;
}

export function readSortIdx(r: Reader): SortIdx {
  return { sort: readSort(r), index: r.u32() };
}

export function writeSortIdx(w: Writer, s: SortIdx): void {
  writeSort(w, s.sort);
  w.u32(s.index);
}
