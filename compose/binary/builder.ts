import {
  writeExport,
  writeImport,
  writeInstanceExpr,
  type Export,
  type Import,
  type InstanceExpr,
} from "./items";
import { Writer } from "./leb";
import { COMPONENT_PREAMBLE, SectionId, writeSection } from "./sections";
import type { Sort } from "./sorts";
import { writeAlias, type Alias } from "./externs";
import { writeTypeDef, type TypeDef } from "./types";

type Space = "type" | "func" | "instance" | "component";

/**
 * Builds a component one definition at a time, tracking the index each
 * definition gets. Consecutive definitions of the same kind share a section;
 * definitions are emitted in the order they were added, which keeps every
 * reference pointing backwards.
 */
export class ComponentBuilder {
  private readonly out = new Writer().bytes(COMPONENT_PREAMBLE);
  private pendingId = -1;
  private pending = new Writer();
  private pendingCount = 0;
  private readonly counts: Record<Space, number> = { type: 0, func: 0, instance: 0, component: 0 };

  type(def: TypeDef): number {
    this.entry(SectionId.type, (w) => writeTypeDef(w, def));
    return this.counts.type++;
  }

  import(imp: Import): number {
    this.entry(SectionId.import, (w) => writeImport(w, imp));
    return this.bump(descSpace(imp.desc.kind));
  }

  alias(alias: Alias): number {
    this.entry(SectionId.alias, (w) => writeAlias(w, alias));
    return this.bump(sortSpace(alias.sort));
  }

  instance(expr: InstanceExpr): number {
    this.entry(SectionId.instance, (w) => writeInstanceExpr(w, expr));
    return this.counts.instance++;
  }

  export(exp: Export): number {
    this.entry(SectionId.export, (w) => writeExport(w, exp));
    return this.bump(sortSpace(exp.item.sort));
  }

  /** Nest a whole component, byte for byte. */
  component(bytes: Uint8Array): number {
    this.flush();
    writeSection(this.out, SectionId.component, bytes);
    return this.counts.component++;
  }

  finish(): Uint8Array {
    this.flush();
    return this.out.finish();
  }

  private bump(space: Space | undefined): number {
    return space === undefined ? -1 : this.counts[space]++;
  }

  private entry(id: number, write: (w: Writer) => void): void {
    if (id !== this.pendingId) {
      this.flush();
      this.pendingId = id;
    }
    write(this.pending);
    this.pendingCount++;
  }

  private flush(): void {
    if (this.pendingCount > 0) {
      const payload = new Writer().u32(this.pendingCount).bytes(this.pending.finish()).finish();
      writeSection(this.out, this.pendingId, payload);
    }
    this.pending = new Writer();
    this.pendingCount = 0;
    this.pendingId = -1;
  }
}

function sortSpace(sort: Sort): Space | undefined {
  return sort === "type" || sort === "func" || sort === "instance" || sort === "component"
    ? sort
    : undefined;
}

function descSpace(kind: string): Space | undefined {
  return kind === "type" || kind === "func" || kind === "instance" || kind === "component"
    ? kind
    : undefined;
}
