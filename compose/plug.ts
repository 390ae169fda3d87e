import { ComponentBuilder } from "./binary/builder";
import type { SortIdx, Sort } from "./binary/sorts";
import { ComponentTypeEncoder, InstanceTypeEncoder, type OuterTypes } from "./encode";
import { PlugError } from "./errors";
import type { OuterImport } from "./merge";
import { loadComponent } from "./model";
import { planComposition, type Plan } from "./plan";
import type { Extern } from "./types";

export interface NamedComponent {
  /** Used in messages: "socket", or the plug's file stem. */
  name: string;
  bytes: Uint8Array;
}

export interface PlugResult {
  bytes: Uint8Array;
  /** Things worth telling the user that did not stop the composition. */
  warnings: string[];
}

/**
 * `wac plug`: satisfy the socket's imports with the plugs' exports (and the
 * plugs' imports with each other's), and produce one component that imports
 * whatever is left and exports what the socket exports.
 */
export function plug(socket: NamedComponent, plugs: readonly NamedComponent[]): PlugResult {
  const models = [socket, ...plugs].map((c) => loadComponent(c.bytes, c.name));
  const plan = planComposition(models);
  return { bytes: emit(plan), warnings: plan.warnings };
}

function sortOf(ext: Extern, what: string): Sort {
  if (ext.k === "func" || ext.k === "instance" || ext.k === "type" || ext.k === "component")
    return ext.k;
  throw new PlugError("unsupported", `cannot wire or re-export core module \`${what}\``);
}

function emit(plan: Plan): Uint8Array {
  const { wiring, outers } = plan;
  const models = wiring.models;
  const b = new ComponentBuilder();

  const byName = new Map(outers.map((o) => [o.name, o]));
  const imported = new Map<string, number>();
  const inProgress = new Set<string>();
  const typeAliases = new Map<string, number>();
  const outerTypes: OuterTypes = {
    typeIndex(outer, name) {
      const key = `${outer}\u0000${name}`;
      let index = typeAliases.get(key);
      if (index === undefined) {
        const instance = importOuter(byName.get(outer)!);
        index = b.alias({ kind: "export", sort: "type", instance, name });
        typeAliases.set(key, index);
      }
      return index;
    },
  };
  const topTypes = new ComponentTypeEncoder(wiring, b, outerTypes);

  // An import's type may alias types of other imports, which are then imported first.
  function importOuter(o: OuterImport): number {
    const done = imported.get(o.name);
    if (done !== undefined) return done;
    if (inProgress.has(o.name))
      throw new PlugError("malformed", `imports use each other's types: ${o.name}`);
    inProgress.add(o.name);
    let index: number;
    if (o.ext.k === "instance") {
      const type = b.type(new InstanceTypeEncoder(wiring, o.name, o.ext.it, outerTypes).encode());
      index = b.import({ name: { name: o.name }, desc: { kind: "instance", index: type } });
    } else if (o.ext.k === "func") {
      const type = topTypes.func(o.ext.f);
      index = b.import({ name: { name: o.name }, desc: { kind: "func", index: type } });
    } else {
      throw new PlugError("unsupported", `${o.ext.k} import \`${o.name}\``);
    }
    imported.set(o.name, index);
    return index;
  }
  for (const o of outers) importOuter(o);

  const socketComponent = b.component(models[0]!.bytes);
  const plugComponents = new Map(plan.order.map((p) => [p, b.component(models[p]!.bytes)]));

  const instances = new Map<number, number>();
  const exportAliases = new Map<string, SortIdx>();
  const argument = (comp: number, importName: string, ext: Extern): SortIdx => {
    const sort = sortOf(ext, importName);
    const src = wiring.source(comp, importName);
    if (!src) return { sort, index: imported.get(wiring.outer(comp, importName)!)! };
    const key = `${src.provider}\u0000${src.exportName}`;
    let item = exportAliases.get(key);
    if (!item) {
      const instance = instances.get(src.provider)!;
      item = { sort, index: b.alias({ kind: "export", sort, instance, name: src.exportName }) };
      exportAliases.set(key, item);
    }
    return item;
  };
  const instantiate = (comp: number, component: number): number => {
    const args = [...models[comp]!.imports].map(([name, ext]) => ({
      name,
      item: argument(comp, name, ext),
    }));
    const index = b.instance({ kind: "instantiate", component, args });
    instances.set(comp, index);
    return index;
  };

  for (const p of plan.order) instantiate(p, plugComponents.get(p)!);
  const socket = instantiate(0, socketComponent);

  for (const [name, ext] of models[0]!.exports) {
    const sort = sortOf(ext, name);
    const index = b.alias({ kind: "export", sort, instance: socket, name });
    b.export({ name: { name }, item: { sort, index } });
  }
  return b.finish();
}
