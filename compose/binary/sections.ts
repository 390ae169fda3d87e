import { PlugError } from "../errors";
import { Reader, Writer } from "./leb";

/** Component section ids (Binary.md, "Component Definitions"). */
export const SectionId = {
  custom: 0,
  coreModule: 1,
  coreInstance: 2,
  coreType: 3,
  component: 4,
  instance: 5,
  alias: 6,
  type: 7,
  canon: 8,
  start: 9,
  import: 10,
  export: 11,
  value: 12,
} as const;

export type SectionIdValue = (typeof SectionId)[keyof typeof SectionId];

/** `\0asm`, version 0x0d, layer 1: the preamble of every component. */
export const COMPONENT_PREAMBLE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);

export interface Section {
  id: number;
  /** The payload, a view into the component's bytes (no copy). */
  payload: Uint8Array;
  /** Offset of the payload within the component, for error messages. */
  offset: number;
}

export function isComponent(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 &&
    bytes[0] === 0x00 &&
    bytes[1] === 0x61 &&
    bytes[2] === 0x73 &&
    bytes[3] === 0x6d &&
    bytes[6] === 0x01 &&
    bytes[7] === 0x00
  );
}

/** Split a component into its top-level sections, in order. */
export function readSections(bytes: Uint8Array, label: string): Section[] {
  if (!isComponent(bytes)) {
    const what = bytes.length >= 8 && bytes[4] === 0x01 ? "a core module" : "not a wasm binary";
    throw new PlugError(
      "malformed",
      `${label} is ${what}, not a component (build it with componentize or \`wasm-tools component new\`)`,
    );
  }
  const r = new Reader(bytes, 8);
  const sections: Section[] = [];
  while (!r.done) {
    const id = r.u8();
    const size = r.u32();
    const offset = r.pos;
    sections.push({ id, payload: r.bytesN(size), offset });
  }
  return sections;
}

/** Append one section (id, size, payload) to `w`. */
export function writeSection(w: Writer, id: number, payload: Uint8Array): void {
  w.u8(id).u32(payload.length).bytes(payload);
}
