// Stream lifecycle: create (pin a tier before the first append), list, deprecate.

import { rfc3339, unixSeconds } from "./clock";
import type { LogContext } from "./context";
import { errors } from "./errors";
import { parseTier, type StreamInfo, type Tier } from "./model";
import type { SecureLogStreamRow } from "./store";
import { storeCall } from "./store-call";

export function checkStreamId(streamId: string): void {
  if (streamId.length === 0) throw errors.invalid("stream id must not be empty");
}

export function getStream(ctx: LogContext, name: string): Promise<SecureLogStreamRow | undefined> {
  return storeCall("read stream", () => ctx.store.secureLogStreamGet(name));
}

/** A stream without a row is public (FORMAT §1). */
export async function streamTier(ctx: LogContext, streamId: string): Promise<Tier> {
  const row = await getStream(ctx, streamId);
  if (row === undefined) return "public";
  try {
    return parseTier(row.tier);
  } catch (e) {
    throw errors.invalid(`stream '${streamId}' has invalid tier '${row.tier}'`, e);
  }
}

/** Refuses deprecated streams and creates the row of a new stream (tier public). */
export async function prepareStreamForAppend(ctx: LogContext, streamId: string): Promise<void> {
  checkStreamId(streamId);
  const row = await getStream(ctx, streamId);
  if (row?.deprecatedAtRfc3339 !== undefined) {
    throw errors.invalid(
      `stream '${streamId}' is deprecated and no longer accepts new entries (deprecated ${row.deprecatedAtRfc3339})`,
    );
  }
  if (row === undefined) {
    await storeCall("create stream", () =>
      ctx.store.secureLogStreamUpsert({
        name: streamId,
        tier: "public",
        createdAtRfc3339: rfc3339(ctx.clock()),
      }),
    );
  }
}

/**
 * Idempotent for the same tier and description. A tier change once the stream
 * has entries is refused: sealed payloads are keyed by tier, so they would no
 * longer open. A deprecated stream is not revived.
 */
export async function createStream(
  ctx: LogContext,
  streamId: string,
  tierText: string,
  description: string | undefined,
): Promise<void> {
  checkStreamId(streamId);
  const tier = parseTier(tierText);
  const existing = await getStream(ctx, streamId);
  if (existing?.deprecatedAtRfc3339 !== undefined) {
    throw errors.invalid(
      `stream '${streamId}' is deprecated (since ${existing.deprecatedAtRfc3339}) and cannot be re-created`,
    );
  }
  if (existing !== undefined && existing.tier !== tier) {
    const head = await storeCall("read head", () => ctx.store.secureLogHead(streamId));
    if (head !== undefined) {
      throw errors.invalid(
        `stream '${streamId}' already has entries under tier '${existing.tier}'; changing it to '${tier}' would make its sealed payloads unreadable`,
      );
    }
  }
  await storeCall("create stream", () =>
    ctx.store.secureLogStreamUpsert({
      name: streamId,
      tier,
      description,
      createdAtRfc3339: existing?.createdAtRfc3339 ?? rfc3339(ctx.clock()),
    }),
  );
}

export async function listStreams(ctx: LogContext): Promise<StreamInfo[]> {
  const rows = await storeCall("list streams", () => ctx.store.secureLogStreamList());
  return rows.map((row) => ({
    name: row.name,
    tier: row.tier,
    description: row.description,
    deprecatedAt:
      row.deprecatedAtRfc3339 === undefined ? undefined : unixSeconds(row.deprecatedAtRfc3339),
  }));
}

export async function deprecateStream(ctx: LogContext, streamId: string): Promise<void> {
  checkStreamId(streamId);
  const row = await getStream(ctx, streamId);
  if (row === undefined) throw errors.streamNotFound(streamId);
  if (row.deprecatedAtRfc3339 !== undefined) return; // keep the first deprecation time
  await storeCall("deprecate stream", () =>
    ctx.store.secureLogStreamDeprecate(streamId, rfc3339(ctx.clock())),
  );
}
