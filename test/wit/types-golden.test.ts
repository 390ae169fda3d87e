// Interface-shape drift check: jco's TypeScript declarations for each world
// (host side: every function, record, variant, enum and resource of every
// interface the world imports or exports) must equal the checked-in golden
// files byte for byte. `BLESS=1 npx vitest run test/wit` rewrites them.
//
// The declarations are lossy in two ways the WIT is not: integer widths share
// `number`/`bigint`, and a `result`'s error type does not appear (errors throw).
// worlds.test.ts covers names; those two gaps need review of wit/ diffs.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  GOLDEN_DIR,
  listFiles,
  WIT_DIR,
  readGolden,
  worldTypes,
  writeGolden,
  WORLDS,
} from "./jco-wit";

const BLESS = process.env.BLESS === "1";
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const generatedTypes = new Map<string, Promise<Record<string, Uint8Array>>>();
const typesOf = (world: string) => {
  if (!generatedTypes.has(world)) generatedTypes.set(world, worldTypes(world));
  return generatedTypes.get(world)!;
};

/**
 * An interface is declared the same way in most worlds, so it is kept once
 * under interfaces/; a world whose declaration differs (an imported resource
 * versus an exported one) keeps its own copy under worlds/<world>/.
 */
async function allGenerated(): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const { world, golden } of WORLDS) {
    for (const [file, bytes] of Object.entries(await typesOf(world))) {
      const shared = out.get(file);
      const name =
        file.startsWith("interfaces/") &&
        (shared === undefined || Buffer.compare(shared, bytes) === 0)
          ? file
          : `worlds/${golden}/${file}`;
      out.set(name, bytes);
    }
  }
  return out;
}

describe("generated TypeScript declarations match the golden files", () => {
  it("every world's declarations, byte for byte", async () => {
    const generated = await allGenerated();
    if (BLESS) writeGolden(GOLDEN_DIR, Object.fromEntries(generated));
    const names = [...generated.keys()].sort();
    expect(
      listFiles(GOLDEN_DIR),
      "golden file set (rerun with BLESS=1 after a WIT change)",
    ).toEqual(names);
    for (const name of names) {
      expect(text(generated.get(name)!), name).toBe(text(readGolden(GOLDEN_DIR, name)));
    }
  });

  it("declares every function wit/ defines", async () => {
    const files = await Promise.all(WORLDS.map(({ world }) => typesOf(world)));
    const all = files.flatMap((f) => Object.values(f).map(text)).join("\n");
    const witText = listFiles(WIT_DIR)
      .filter((f) => f.endsWith(".wit") && !f.startsWith("deps/wasi-"))
      .map((f) => readFileSync(join(WIT_DIR, f), "utf8"))
      .join("\n");
    const names = [...witText.matchAll(/^\s*([a-z][a-z0-9-]*)\s*:\s*func\b/gm)].map((m) => m[1]!);
    // `transport` (the remote store's RPC) is in no world of wit/ yet.
    const notInAnyWorld = new Set(["rpc"]);
    expect(names).toContain("append-with-encoding");
    expect(names.length).toBeGreaterThan(45);
    for (const name of names.filter((n) => !notInAnyWorld.has(n))) {
      const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      expect(all, name).toMatch(new RegExp(`(function |^\\s+)${camel}\\(`, "m"));
    }
  });
});
