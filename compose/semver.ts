/**
 * Semver-compatible import and export names, as wac and wasmtime treat
 * them: `ns:pkg/iface@1.2.3` is compatible with `@1.x.y`, `@0.2.3` with
 * `@0.2.y`; `@0.0.z` and prereleases are compatible only with themselves.
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(name: string): Version | undefined {
  const at = name.lastIndexOf("@");
  if (at < 0) return undefined;
  const m = SEMVER.exec(name.slice(at + 1));
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ?? "" };
}

/** Names with the same key are semver-compatible; the key is the name itself when nothing else can be. */
export function compatKey(name: string): string {
  const v = parseVersion(name);
  if (!v || v.pre) return name;
  const base = name.slice(0, name.lastIndexOf("@"));
  if (v.major !== 0) return `${base}@${v.major}`;
  if (v.minor !== 0) return `${base}@0.${v.minor}`;
  return name;
}

export function areCompatible(a: string, b: string): boolean {
  return a === b || compatKey(a) === compatKey(b);
}

function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The newest of a set of compatible names (the first one wins ties). */
export function newest(names: Iterable<string>): string {
  let best: string | undefined;
  let bestV: Version | undefined;
  for (const n of names) {
    const v = parseVersion(n);
    if (best === undefined || (v && bestV && compare(v, bestV) > 0)) {
      best = n;
      bestV = v;
    }
  }
  if (best === undefined) throw new Error("newest() of no names");
  return best;
}
