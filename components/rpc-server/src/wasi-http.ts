// wasi:http/incoming-handler in terms of the server's HttpRequest and
// HttpResponse. The body is pulled from the input stream chunk by chunk as the
// server asks for it, waiting on the stream and a deadline together: the host
// hands the instance one request at a time, so a client that stops sending
// must not hold the server. Writing the answer may fail when the client has
// gone away; that is not an error of the server, and the next request is served.

import { now, subscribeInstant } from "wasi:clocks/monotonic-clock@0.2.12";
import { poll } from "wasi:io/poll@0.2.12";
import {
  Fields,
  IncomingBody,
  OutgoingBody,
  OutgoingResponse,
  ResponseOutparam,
  type IncomingRequest,
  type InputStream,
} from "wasi:http/types@0.2.12";
import { BodyTimeout, type ChunkSource } from "./body";
import type { HttpRequest, HttpResponse } from "./handler";

const CHUNK = 64n * 1024n;
// wasi:io output streams take at most 4096 bytes per blocking write.
const WRITE_CHUNK = 4096;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Drops a resource now (componentize-js binds the destructor to Symbol.dispose). */
function drop(resource: object): void {
  const key = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for("dispose");
  const fn = (resource as Record<symbol, (() => void) | undefined>)[key];
  fn?.call(resource);
}

function isClosed(e: unknown): boolean {
  const payload = (e as { payload?: { tag?: string } } | null)?.payload;
  return (payload ?? (e as { tag?: string } | null))?.tag === "closed";
}

function methodName(request: IncomingRequest): string {
  const m = request.method();
  return m.tag === "other" ? m.val : m.tag.toUpperCase();
}

export function adaptRequest(request: IncomingRequest): HttpRequest {
  const headers = request.headers();
  const pathWithQuery = request.pathWithQuery() ?? "/";
  return {
    method: methodName(request),
    path: pathWithQuery.split("?")[0]!,
    header(name) {
      const values = headers.get(name);
      return values.length === 0 ? undefined : decoder.decode(values[0]);
    },
    body(timeoutSeconds): ChunkSource {
      const deadline = now() + BigInt(timeoutSeconds) * 1_000_000_000n;
      const body = request.consume();
      let stream: InputStream | undefined = body.stream();
      const next = (from: InputStream): Uint8Array | undefined => {
        for (;;) {
          let chunk: Uint8Array;
          try {
            chunk = from.read(CHUNK);
          } catch (e) {
            if (isClosed(e)) return undefined;
            throw e;
          }
          if (chunk.byteLength > 0) return chunk;
          if (now() >= deadline) throw new BodyTimeout(timeoutSeconds);
          const ready = from.subscribe();
          const timer = subscribeInstant(deadline);
          poll([ready, timer]);
          drop(timer);
          drop(ready);
        }
      };
      let done = false;
      const close = () => {
        if (stream !== undefined) drop(stream);
        stream = undefined;
        if (!done) drop(body);
        done = true;
      };
      return {
        next() {
          if (stream === undefined) return undefined;
          const chunk = next(stream);
          if (chunk === undefined) {
            drop(stream);
            stream = undefined;
            done = true;
            IncomingBody.finish(body);
          }
          return chunk;
        },
        // Also when reading stopped early (too large, timed out, client gone).
        close,
      };
    },
  };
}

export function sendResponse(out: ResponseOutparam, res: HttpResponse): void {
  const headers = Fields.fromList(res.headers.map(([k, v]) => [k, encoder.encode(v)]));
  const response = new OutgoingResponse(headers);
  response.setStatusCode(res.status);
  const body = response.body();
  ResponseOutparam.set(out, { tag: "ok", val: response });
  const bytes = encoder.encode(res.body);
  const stream = body.write();
  try {
    for (let at = 0; at < bytes.length; at += WRITE_CHUNK) {
      stream.blockingWriteAndFlush(bytes.subarray(at, at + WRITE_CHUNK));
    }
    drop(stream);
    OutgoingBody.finish(body, undefined);
  } catch {
    // The client went away; there is nobody to tell.
    drop(stream);
  }
}
