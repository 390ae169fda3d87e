import type { Reader, Writer } from "./leb";

/**
 * An import or export name. On the wire it starts with a discriminant byte:
 * 0x00 (plain), 0x01 (the pre-2023 "interface" marker, read as 0x00), or 0x02
 * followed by a vector of attributes (implements, versionsuffix,
 * external-id). Names inside instantiate arguments and aliases are plain
 * strings without this byte; use `Reader.string` for those.
 */
export interface ExternName {
  name: string;
  /** The raw attribute vector of a 0x02 name, kept so it round-trips unchanged. */
  attributes?: NameAttribute[];
}

export interface NameAttribute {
  kind: 0 | 1 | 2;
  value: string;
}

export function readExternName(r: Reader): ExternName {
  const tag = r.u8();
  if (tag === 0x00 || tag === 0x01) return { name: r.string() };
  if (tag !== 0x02) r.fail(`bad extern name discriminant 0x${tag.toString(16)}`);
  const name = r.string();
  const attributes = r.vec(() => {
    const kind = r.u8();
    if (kind > 2) r.fail(`bad name attribute 0x${kind.toString(16)}`);
    return { kind: kind as 0 | 1 | 2, value: r.string() };
  });
  return { name, attributes };
}

export function writeExternName(w: Writer, n: ExternName): void {
  if (!n.attributes || n.attributes.length === 0) {
    w.u8(0x00).string(n.name);
    return;
  }
  w.u8(0x02).string(n.name);
  w.vec(n.attributes, (w, a) => w.u8(a.kind).string(a.value));
}
