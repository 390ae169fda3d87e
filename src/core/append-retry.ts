// appendEntry's retry of a lost compare-and-append race (entries.ts,
// docs/design/compare-and-append.md): how a store's refusal is recognised,
// how often it is tried again and how long it waits in between.

import { SecureLogError } from "./errors";

/** storeCall's label for the insert; its diagnostic follows as "insert entry: …". */
export const INSERT_ENTRY = "insert entry";

/** Attempts per append before it gives up with a storage error. */
export const APPEND_ATTEMPTS = 32;

/** A storage error whose store diagnostic starts "conflict: " (the seqno or prev hash moved). */
export function isAppendConflict(
  e: unknown,
): e is SecureLogError & { payload: { tag: "storage"; val: string } } {
  return (
    e instanceof SecureLogError &&
    e.payload.tag === "storage" &&
    e.payload.val.startsWith(`${INSERT_ENTRY}: conflict: `)
  );
}

/**
 * A tiny randomised backoff: up to 1, 2, 4, … ms, at most 32 ms, so writers
 * that lost together do not collide again in lockstep.
 */
export function appendBackoff(attempt: number): Promise<void> {
  const cap = Math.min(2 ** (attempt - 1), 32);
  const ms = Math.random() * cap;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
