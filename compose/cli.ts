import { readFileSync, writeFileSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PlugError } from "./errors";
import { plug, type NamedComponent } from "./plug";

/**
 * `wac plug` with the same flags:
 *   npx tsx compose/cli.ts socket.wasm --plug a.wasm --plug b.wasm -o out.wasm
 * `-t`/`--wat` prints the text format instead (through jco).
 */

const USAGE = "usage: cli.ts <SOCKET_PATH> --plug <PLUG_PATH>... [-o <OUTPUT>] [-t|--wat]";

interface Args {
  socket: string;
  plugs: string[];
  output?: string;
  wat: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const plugs: string[] = [];
  const positional: string[] = [];
  let output: string | undefined;
  let wat = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new PlugError("io", `${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === "--plug") plugs.push(value());
    else if (arg.startsWith("--plug=")) plugs.push(arg.slice("--plug=".length));
    else if (arg === "-o" || arg === "--output") output = value();
    else if (arg.startsWith("--output=")) output = arg.slice("--output=".length);
    else if (arg === "-t" || arg === "--wat") wat = true;
    else if (arg.startsWith("-")) throw new PlugError("io", `unknown option ${arg}\n${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 1 || plugs.length === 0) throw new PlugError("io", USAGE);
  return { socket: positional[0]!, plugs, ...(output !== undefined && { output }), wat };
}

function read(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new PlugError("io", `failed to read ${what} \`${path}\``, { cause });
  }
}

/** Plugs are named by file stem, numbered when two share one (as wac does). */
function plugNames(paths: readonly string[]): string[] {
  const stems = paths.map((p) => basename(p, extname(p)));
  const seen = new Map<string, number>();
  return stems.map((s) => {
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    return stems.filter((x) => x === s).length > 1 ? `${s}${n}` : s;
  });
}

export async function main(
  argv: readonly string[],
  io: { stdout: (s: string | Uint8Array) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): Promise<number> {
  try {
    const args = parseArgs(argv);
    const socket: NamedComponent = { name: "socket", bytes: read(args.socket, "socket component") };
    const names = plugNames(args.plugs);
    const plugs = args.plugs.map((p, i) => ({ name: names[i]!, bytes: read(p, "plug component") }));
    const { bytes, warnings } = plug(socket, plugs);
    for (const w of warnings) io.stderr(`warning: ${w}\n`);
    let out: string | Uint8Array = bytes;
    if (args.wat) {
      const { print } = await import("@bytecodealliance/jco");
      out = `${await print(bytes)}\n`;
    }
    if (args.output === undefined) {
      if (!args.wat && process.stdout.isTTY) {
        throw new PlugError("io", "cannot print binary wasm to a terminal; pass -o <OUTPUT> or -t");
      }
      io.stdout(out);
    } else {
      try {
        writeFileSync(args.output, out);
      } catch (cause) {
        throw new PlugError("io", `failed to write \`${args.output}\``, { cause });
      }
    }
    return 0;
  } catch (err) {
    if (!(err instanceof PlugError)) throw err;
    io.stderr(`error[${err.code}]: ${err.message}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
