// The parts of wasi:http/types@0.2.12 (and the wasi:io streams it hands out),
// wasi:io/poll and wasi:clocks/monotonic-clock that the server uses, as componentize-js binds them in the guest: calls are
// synchronous and a WIT `err` is thrown as an error whose `payload` is the err.

declare module "wasi:io/poll@0.2.12" {
  export interface Pollable {
    ready(): boolean;
  }
  /** Blocks until at least one is ready; returns the indexes of those that are. */
  export function poll(pollables: Pollable[]): Uint32Array;
}

declare module "wasi:clocks/monotonic-clock@0.2.12" {
  import type { Pollable } from "wasi:io/poll@0.2.12";
  /** Nanoseconds. */
  export function now(): bigint;
  export function subscribeInstant(when: bigint): Pollable;
}

declare module "wasi:http/types@0.2.12" {
  import type { Pollable } from "wasi:io/poll@0.2.12";

  export type Method =
    | {
        tag: "get" | "head" | "post" | "put" | "delete" | "connect" | "options" | "trace" | "patch";
      }
    | { tag: "other"; val: string };

  export interface InputStream {
    /** What is there now, possibly nothing; throws `{ tag: "closed" }` at the end. */
    read(len: bigint): Uint8Array;
    subscribe(): Pollable;
  }
  export interface OutputStream {
    checkWrite(): bigint;
    /** At most 4096 bytes per call. */
    blockingWriteAndFlush(contents: Uint8Array): void;
  }

  export class Fields {
    static fromList(entries: [string, Uint8Array][]): Fields;
    get(name: string): Uint8Array[];
  }
  export class IncomingBody {
    stream(): InputStream;
    static finish(body: IncomingBody): unknown;
  }
  export class IncomingRequest {
    method(): Method;
    pathWithQuery(): string | undefined;
    headers(): Fields;
    consume(): IncomingBody;
  }
  export class OutgoingBody {
    write(): OutputStream;
    static finish(body: OutgoingBody, trailers: Fields | undefined): void;
  }
  export class OutgoingResponse {
    constructor(headers: Fields);
    setStatusCode(status: number): void;
    body(): OutgoingBody;
  }
  export class ResponseOutparam {
    static set(
      param: ResponseOutparam,
      response: { tag: "ok"; val: OutgoingResponse } | { tag: "err"; val: unknown },
    ): void;
  }
}
