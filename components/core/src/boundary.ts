// The one place core errors become WIT errors (the reference's
// native_err_to_wit). componentize-js turns an export's thrown value into the
// `err` of its `result<T, log-error>` when the value has an own `payload`
// property; any other Error traps the caller's instance. So every result
// export runs through `witResult`, and only a LogError ever leaves.

import { SecureLogError, type LogError } from "../../../src/core/errors";

/** What a result export throws: its `payload` is the WIT `log-error`. */
export class WitError {
  constructor(readonly payload: LogError) {}
}

function text(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * A SecureLogError keeps its variant. Anything else is a defect or a host
 * failure the core did not classify: it is logged to stderr with its stack
 * and reported as `storage`, the variant for failures below the log.
 */
export function toWitError(e: unknown): WitError {
  if (e instanceof SecureLogError) return new WitError(e.payload);
  console.error("secure-log core: unexpected error:", e instanceof Error ? e.stack : e);
  return new WitError({ tag: "storage", val: `unexpected error in the log core: ${text(e)}` });
}

/** Runs an export body; a failure reaches the caller as `err(log-error)`, never a trap. */
export async function witResult<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toWitError(e);
  }
}

/** For exports without a result (list-segments, logger.log): report and carry on. */
export function report(what: string, e: unknown): void {
  const err = e instanceof SecureLogError ? e.message : text(e);
  console.error(`secure-log core: ${what}: ${err}`);
}
