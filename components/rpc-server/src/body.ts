// Reads a request body up to a limit. The declared Content-Length is checked
// first and then every chunk as it arrives; reading stops at the first chunk
// past the limit, so an oversized upload costs the server at most `limit`
// bytes (plus one chunk) of memory.

import { RpcError } from "../../../src/rpc/contract";

export interface ChunkSource {
  /**
   * The next chunk of the body, or undefined at its end. Throws BodyTimeout
   * when the body's time is up, anything else when the client went away.
   */
  next(): Uint8Array | undefined;
  /** Releases the body, read to its end or not. */
  close(): void;
}

/** The client did not send its body in time (408). */
export class BodyTimeout extends RpcError {
  constructor(seconds: number) {
    super("bad-request", `the request body did not arrive within ${seconds} s`);
  }
}

function tooLarge(limit: number): RpcError {
  return new RpcError("too-large", `request body exceeds the server's limit of ${limit} bytes`);
}

/** Refuses a request whose Content-Length alone is over the limit, before reading anything. */
export function checkDeclaredLength(contentLength: string | undefined, limit: number): void {
  if (contentLength !== undefined && /^[0-9]+$/.test(contentLength)) {
    if (Number(contentLength) > limit) throw tooLarge(limit);
  }
}

export function readLimited(source: ChunkSource, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let chunk: Uint8Array | undefined;
      try {
        chunk = source.next();
      } catch (e) {
        if (e instanceof RpcError) throw e;
        throw new RpcError("bad-request", "the request body could not be read to its end", {
          cause: e,
        });
      }
      if (chunk === undefined) break;
      total += chunk.byteLength;
      if (total > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } finally {
    source.close();
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

export function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    throw new RpcError("bad-request", "request body is not UTF-8", { cause: e });
  }
}
