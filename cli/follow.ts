// `tail --follow`: poll a stream for new entries until SIGINT or SIGTERM.
// Each poll is a fresh instance under the data-directory lock, held only for
// that poll: the SQLite engine caches pages and its WAL index on the heap
// (exclusive mode), so a long-lived instance would never see another
// process's appends, and holding the lock between polls would shut out
// `secure-log append` from other shells.

import { setTimeout as sleep } from "node:timers/promises";
import type { EntryFields } from "../src/core/model";
import type { StackApi } from "../verify/stack-api";
import { openLog, type Globals } from "./context";
import { LockBusyError } from "./lock";

export const DEFAULT_INTERVAL_MS = 1000;
/** How a follower shows in the lock file. */
export const FOLLOW_COMMAND = "secure-log tail --follow";

export interface FollowOptions {
  stream: string;
  /** Entries up to this seqno were shown or are not the stream's; later ones are printed. */
  after: bigint;
  intervalMs: number;
  /** Called once per new entry of the stream, in seqno order. */
  onEntry(seqno: bigint, entry: EntryFields): void;
}

/** Aborted by the first SIGINT or SIGTERM; `done` removes the handlers again. */
export function stopOnSignal(): { signal: AbortSignal; done(): void } {
  const stop = new AbortController();
  const abort = () => stop.abort();
  process.on("SIGINT", abort);
  process.on("SIGTERM", abort);
  return {
    signal: stop.signal,
    done() {
      process.off("SIGINT", abort);
      process.off("SIGTERM", abort);
    },
  };
}

/**
 * The newest seqno of the whole log, the highest of its streams' heads. Every
 * seqno up to it is taken: the store gives each entry the next seqno.
 */
export async function globalHead(api: StackApi): Promise<bigint> {
  let newest = 0n;
  for (const { name } of await api.listStreams()) {
    const h = await api.head(name);
    if (h !== undefined && h > newest) newest = h;
  }
  return newest;
}

/**
 * Prints the entries of the stream after `after`, under one lock; resolves to
 * the seqno the next poll starts after. The log's head is read first and the
 * stream's after it, so no entry of the stream at or below the log's head is
 * missed even when others append meanwhile (the remote stack); entries of
 * other streams up to it are never read again.
 */
async function poll(g: Globals, o: FollowOptions, after: bigint, signal: AbortSignal) {
  const log = await openLog(g, false, { command: FOLLOW_COMMAND, signal });
  try {
    const newest = await globalHead(log.api);
    const head = (await log.api.head(o.stream)) ?? 0n;
    // Seqnos are global: the ones in between may belong to other streams.
    for (let s = after + 1n; s <= head; s++) {
      const e = await log.api.read(s).catch(() => undefined);
      if (e !== undefined && e.streamId === o.stream) o.onEntry(s, e);
    }
    return [after, newest, head].reduce((a, b) => (b > a ? b : a));
  } finally {
    log.release();
  }
}

/**
 * Polls, `intervalMs` apart, until `signal` aborts, then resolves. A poll that
 * cannot get the lock in time is skipped with a note on stderr; any other
 * failure ends the follow.
 */
export async function follow(g: Globals, o: FollowOptions, signal: AbortSignal): Promise<void> {
  let after = o.after;
  let waiting = false;
  while (!signal.aborted) {
    try {
      await sleep(o.intervalMs, undefined, { signal });
      after = await poll(g, o, after, signal);
      waiting = false;
    } catch (e) {
      if (signal.aborted) return;
      if (!(e instanceof LockBusyError)) throw e;
      if (!waiting) process.stderr.write(`secure-log: still following; ${e.message}\n`);
      waiting = true;
    }
  }
}
