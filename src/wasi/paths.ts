// Which preopened directory a guest path lives under. WASI gives a component no
// working directory and no root: only preopens, each named by the path the host
// mapped it to ("/data", "/", "." …). A path belongs to the preopen whose name is
// its longest component-wise prefix; absolute paths match absolute names and
// relative paths relative names ("." covers every relative path).

import { FileSystemError } from "./file-system";

export interface Resolved<D> {
  dir: D;
  /** The preopen's name as the host gave it. */
  preopen: string;
  /** Path inside the preopen, "/"-separated, never empty ("." for the preopen itself). */
  relative: string;
}

interface Parsed {
  absolute: boolean;
  parts: string[];
}

/** Splits on "/", drops "" and "." parts and folds "..", or says why it cannot. */
function parse(path: string): Parsed | string {
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== "..") parts.push(part);
    else if (parts.length > 0) parts.pop();
    else return "'..' climbs above the top of the path";
  }
  return { absolute, parts };
}

function isPrefix(prefix: string[], parts: string[]): boolean {
  return prefix.length <= parts.length && prefix.every((p, i) => p === parts[i]);
}

function describe(preopens: readonly (readonly [unknown, string])[]): string {
  if (preopens.length === 0) return "none: the host gave this component no directories";
  return preopens.map(([, name]) => `'${name}'`).join(", ");
}

export function resolvePath<D>(
  preopens: readonly (readonly [D, string])[],
  path: string,
  op: string,
): Resolved<D> {
  if (path === "") throw new FileSystemError(op, "''", "empty path");
  const target = parse(path);
  if (typeof target === "string") throw new FileSystemError(op, path, target);
  let best: { dir: D; name: string; depth: number } | undefined;
  for (const [dir, name] of preopens) {
    const pre = parse(name);
    if (typeof pre === "string" || pre.absolute !== target.absolute) continue;
    if (!isPrefix(pre.parts, target.parts)) continue;
    if (best === undefined || pre.parts.length > best.depth) {
      best = { dir, name, depth: pre.parts.length };
    }
  }
  if (best === undefined) {
    throw new FileSystemError(
      op,
      path,
      `no preopened directory contains it (preopens: ${describe(preopens)}); ` +
        "give the host a directory mapping that covers it",
    );
  }
  const rest = target.parts.slice(best.depth);
  return { dir: best.dir, preopen: best.name, relative: rest.length > 0 ? rest.join("/") : "." };
}
