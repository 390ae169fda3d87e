// Small assertions for the scenario. They throw plain Errors whose message
// says what differed; the check runner turns them into ✗ lines.

import { describe } from "../src/core/errors";
import { toHex } from "../src/core/hex";
import { bigintJson, describeFailure } from "./checks";
import type { LogError } from "./stack-api";

export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function show(v: unknown): string {
  if (v instanceof Uint8Array) return v.length > 16 ? `${toHex(v.slice(0, 16))}…` : toHex(v);
  return JSON.stringify(v, (k, x) => (x instanceof Uint8Array ? toHex(x) : bigintJson(k, x)));
}

/** Structural equality over what the WIT shape holds; `undefined` fields equal absent ones. */
export function equal(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return (
      a instanceof Uint8Array &&
      b instanceof Uint8Array &&
      a.length === b.length &&
      a.every((x, i) => x === b[i])
    );
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => equal(x, b[i]))
    );
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) =>
      equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    );
  }
  return a === b;
}

export function same<T>(actual: T, expected: T, what: string): void {
  if (!equal(actual, expected)) {
    throw new Error(`${what}: got ${show(actual)}, expected ${show(expected)}`);
  }
}

/** The WIT error of a failing call; a success, a trap or another variant is a failure. */
export async function failsWith<Tag extends LogError["tag"]>(
  tag: Tag,
  call: () => Promise<unknown>,
): Promise<Extract<LogError, { tag: Tag }>> {
  let outcome: unknown;
  try {
    outcome = await call();
  } catch (e) {
    const payload = typeof e === "object" && e !== null && "payload" in e ? e.payload : undefined;
    if (typeof payload === "object" && payload !== null && "tag" in payload) {
      if (payload.tag === tag) return payload as Extract<LogError, { tag: Tag }>;
      throw new Error(`expected log-error ${tag}, got ${show(payload)}`, { cause: e });
    }
    throw new Error(`expected log-error ${tag}, got ${describeFailure(e)}`, { cause: e });
  }
  throw new Error(`expected log-error ${tag}, but the call succeeded with ${show(outcome)}`);
}

/** The error as the reference words it ("chain broken at seqno 9: …"). */
export function errorText(e: LogError): string {
  return describe(e);
}
