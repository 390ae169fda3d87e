// Which components exist and how each is built. A component is a folder
// components/<name>/ with src/index.ts (a JS component) or a component.json
// naming its kind; the world comes from component.json or the table below.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COMPONENTS_DIR } from "./paths";

/** componentize-js engine features (StarlingMonkey WASI subsystems). */
export const FEATURES = ["stdio", "random", "clocks", "http", "fetch-event"] as const;
export type Feature = (typeof FEATURES)[number];

export interface ComponentSpec {
  name: string;
  dir: string;
  /** Selects the builder (scripts/lib/builders.ts); "js" unless component.json says otherwise. */
  kind: string;
  /** Fully qualified world in wit/, e.g. "secure-log:components/core". */
  world: string;
  /** JS components: the entry file ("" for others). */
  entry: string;
  /** JS components: engine features left out (none of ours serve HTTP or fetch). */
  disableFeatures: Feature[];
}

/** The worlds of our components (wit/deps/components/worlds.wit). */
export const WORLDS: Readonly<Record<string, string>> = {
  core: "secure-log:components/core",
  "store-file": "secure-log:components/store-file",
  "store-sqlite": "secure-log:components/store-sqlite",
  "keystore-software": "secure-log:components/keystore-software",
  encoder: "secure-log:components/encoder",
  "rpc-server": "secure-log:components/rpc-server",
  "store-remote": "secure-log:components/store-remote",
  "transport-http": "secure-log:components/transport-http",
};

// stdio (console.error → stderr), random (crypto.randomUUID for session ids)
// and clocks (Date for timestamps) are used by every component. http (fetch)
// is enabled only by transport-http's component.json; rpc-server exports its
// incoming handler itself, so fetch-event stays off everywhere.
const DEFAULT_DISABLED: Feature[] = ["http", "fetch-event"];

interface ComponentJson {
  kind?: string;
  world?: string;
  entry?: string;
  disableFeatures?: string[];
}

function readComponentJson(dir: string): ComponentJson {
  const path = join(dir, "component.json");
  if (!existsSync(path)) return {};
  const json: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error(`${path}: expected a JSON object`);
  }
  return json as ComponentJson;
}

function features(list: string[] | undefined, where: string): Feature[] {
  if (list === undefined) return DEFAULT_DISABLED;
  for (const f of list) {
    if (!(FEATURES as readonly string[]).includes(f)) {
      throw new Error(`${where}: unknown feature '${f}' (known: ${FEATURES.join(", ")})`);
    }
  }
  return list as Feature[];
}

export function loadComponent(name: string): ComponentSpec | undefined {
  const dir = join(COMPONENTS_DIR, name);
  const json = readComponentJson(dir);
  const entry = join(dir, json.entry ?? "src/index.ts");
  const kind = json.kind ?? "js";
  if (kind === "js" && !existsSync(entry)) return undefined;
  const world = json.world ?? WORLDS[name];
  if (world === undefined) {
    throw new Error(
      `component '${name}' has no world: add it to WORLDS in scripts/lib/components.ts ` +
        `or set "world" in components/${name}/component.json`,
    );
  }
  return {
    name,
    dir,
    kind,
    world,
    entry,
    disableFeatures: features(json.disableFeatures, `components/${name}/component.json`),
  };
}

/** Every buildable component, by name. Folders without sources yet are skipped. */
export function discoverComponents(): ComponentSpec[] {
  const folders = existsSync(COMPONENTS_DIR)
    ? readdirSync(COMPONENTS_DIR, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];
  return folders
    .map((name) => loadComponent(name))
    .filter((c): c is ComponentSpec => c !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}
