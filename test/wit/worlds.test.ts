// Every world of wit/ resolves: jco embeds it (dummy bindings) into an empty core
// module, makes a component, and prints back exactly the expected imports/exports.

import { beforeAll, describe, expect, it } from "vitest";
import { jco, worldComponent, worldShape, WORLDS, type WorldShape } from "./jco-wit";

const LOG = (i: string) => `secure-log:log/${i}@0.1.0`;

// Imports include what the world's own interfaces `use` (store uses encoder's
// severity; log and checkpoint use types' log-error).
const EXPECTED: Record<string, { imports: string[]; exports: string[] }> = {
  "secure-log-host": {
    imports: [],
    exports: [LOG("types"), LOG("encoder"), LOG("log"), LOG("checkpoint")],
  },
  "secure-log-core": {
    imports: [LOG("encoder"), LOG("store"), LOG("types")],
    exports: [LOG("encoder"), LOG("log")],
  },
  "store-provider": {
    imports: [LOG("encoder")],
    exports: [LOG("store")],
  },
  "keys:keystore/keystore-provider": {
    imports: [],
    exports: ["keys:keystore/signer"],
  },
  "secure-log:core-signing/secure-log-core-signing": {
    imports: [LOG("encoder"), LOG("store"), "keys:keystore/signer"],
    exports: [
      LOG("types"),
      LOG("encoder"),
      LOG("log"),
      LOG("checkpoint"),
      "tegmentum:log/logger@0.1.0",
    ],
  },
  "secure-log:sqlite/sqlite-engine": {
    imports: [],
    exports: ["secure-log:sqlite/engine@0.1.0"],
  },
};

const sorted = (xs: string[]) => [...xs].sort();

describe("WIT worlds resolve through jco", () => {
  const shapes = new Map<string, WorldShape>();

  beforeAll(async () => {
    const j = await jco();
    for (const { world } of WORLDS) {
      const component = await worldComponent(world);
      shapes.set(world, worldShape(await j.componentWit(component)));
    }
  });

  it("covers every world", () => {
    expect(sorted(WORLDS.map((w) => w.world))).toEqual(sorted(Object.keys(EXPECTED)));
  });

  for (const { world } of WORLDS) {
    it(`${world}: exact imports and exports`, () => {
      const shape = shapes.get(world)!;
      const want = EXPECTED[world]!;
      expect(shape.other).toEqual([]);
      expect(sorted(shape.imports)).toEqual(sorted(want.imports));
      expect(sorted(shape.exports)).toEqual(sorted(want.exports));
    });
  }

  it("rejects a world that does not exist", async () => {
    await expect(worldComponent("no-such-world")).rejects.toThrow(/no-such-world/);
    await expect(worldComponent("secure-log:core-signing/no-such-world")).rejects.toThrow(
      /no-such-world/,
    );
  });
});
