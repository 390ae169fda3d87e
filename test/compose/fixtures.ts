import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { componentEmbed, componentNew } from "@bytecodealliance/jco";
import type { NamedComponent } from "../../compose/plug";

export const CASES_DIR = join(import.meta.dirname, "cases");

/** `\0asm` version 1: an empty core module, enough for a dummy component. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** A component with exactly the imports and exports of `world` (its functions trap). */
export async function componentFromWit(witSource: string, world: string): Promise<Uint8Array> {
  const embedded = await componentEmbed({ binary: EMPTY_MODULE, witSource, world, dummy: true });
  return componentNew(embedded, []);
}

function worlds(wit: string): string[] {
  return [...wit.matchAll(/^world\s+([a-z][a-z0-9-]*)\s*\{/gm)].map((m) => m[1]!);
}

/**
 * A case folder holds either `inputs.wit` with a `socket` world and one world
 * per plug (in plug order), or `socket.wit` plus one `plug-*.wit` per plug
 * (in file-name order), each with a single world.
 */
export async function caseInputs(
  dir: string,
): Promise<{ socket: NamedComponent; plugs: NamedComponent[] }> {
  const files = readdirSync(dir).sort();
  if (files.includes("inputs.wit")) {
    const wit = readFileSync(join(dir, "inputs.wit"), "utf8");
    const names = worlds(wit);
    const build = async (name: string) => ({ name, bytes: await componentFromWit(wit, name) });
    return {
      socket: await build("socket"),
      plugs: await Promise.all(names.filter((n) => n !== "socket").map(build)),
    };
  }
  const fromFile = async (file: string) => {
    const wit = readFileSync(join(dir, file), "utf8");
    return {
      name: file.replace(/\.wit$/, ""),
      bytes: await componentFromWit(wit, worlds(wit)[0]!),
    };
  };
  return {
    socket: await fromFile("socket.wit"),
    plugs: await Promise.all(files.filter((f) => /^plug-.*\.wit$/.test(f)).map(fromFile)),
  };
}

/** jco's text of the output with nested component bodies elided: the imports, wiring and exports. */
export function outline(wat: string): string {
  const out: string[] = [];
  let nested = -1;
  for (const line of wat.split("\n")) {
    if (nested >= 0) {
      if (line === "  )") nested = -1;
      continue;
    }
    const m = /^ {2}\(component (\(;\d+;\))/.exec(line);
    if (m) {
      out.push(`  (component ${m[1]} ...)`);
      nested = 0;
      continue;
    }
    out.push(line);
  }
  return out.join("\n");
}
