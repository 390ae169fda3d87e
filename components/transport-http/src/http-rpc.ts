// One RPC round trip over HTTP: POST the request envelope as JSON, read the
// response envelope, return the JSON of `ok` or throw the err string
// ("http 401: …", "malformed response: …", "cannot reach <url>: …",
// "timed out after N ms: <url>"). The token goes only into the Authorization
// header and is scrubbed from every error text.

import { parseJson } from "../../../src/core/json";
import {
  parseResponse,
  RPC_VERSION,
  RpcError,
  serializeJson,
  serializeRequest,
} from "../../../src/rpc/contract";
import type { TransportConfig } from "./config";

/** What one round trip throws: its message is the transport's WIT err string. */
export class TransportError extends Error {
  readonly payload: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransportError";
    this.payload = message;
  }
}

const MAX_SNIPPET = 200;

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return typeof e === "string" ? e : String(e);
}

/** The server's err message from a non-2xx body, or a bounded piece of the body. */
function serverMessage(body: string): string {
  try {
    const res = parseResponse(body);
    if ("err" in res) return res.err.message;
  } catch {
    // not our envelope: fall through to the raw body
  }
  const text = body.trim();
  if (text === "") return "(empty body)";
  return text.length > MAX_SNIPPET ? `${text.slice(0, MAX_SNIPPET)}…` : text;
}

export async function httpRpc(
  config: TransportConfig,
  method: string,
  paramsJson: string,
): Promise<string> {
  const scrub = (text: string) =>
    config.token === undefined ? text : text.split(config.token).join("[redacted]");
  const fail = (message: string, cause?: unknown) =>
    new TransportError(scrub(message), cause === undefined ? undefined : { cause });

  let body: string;
  try {
    const params = parseJson(paramsJson, (m) => new RpcError("bad-request", m));
    body = serializeRequest({ v: RPC_VERSION, method, params });
  } catch (e) {
    throw fail(`bad params for ${method}: ${messageOf(e)}`, e);
  }

  const headers: Record<string, string> = { "content-type": "application/json" };
  if (config.token !== undefined) headers["authorization"] = `Bearer ${config.token}`;
  // The signal aborts the request where the engine honours it; the race settles
  // the call on time even where it does not (docs/design/rpc.md).
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(fail(`timed out after ${config.timeoutMs} ms: ${config.url}`));
    }, config.timeoutMs);
  });

  const request = (async () => {
    const res = await fetch(config.url, { method: "POST", headers, body, signal: abort.signal });
    return [res.status, await res.text()] as const;
  })();
  // After a timeout the abandoned request may still fail; nobody waits for it then.
  request.catch(() => undefined);

  let status: number;
  let text: string;
  try {
    [status, text] = await Promise.race([request, timeout]);
  } catch (e) {
    if (e instanceof TransportError) throw e;
    throw fail(`cannot reach ${config.url}: ${messageOf(e)}`, e);
  } finally {
    clearTimeout(timer);
  }

  if (status < 200 || status > 299) throw fail(`http ${status}: ${serverMessage(text)}`);
  let res;
  try {
    res = parseResponse(text);
  } catch (e) {
    throw fail(`malformed response: ${messageOf(e)}`, e);
  }
  if ("err" in res) throw fail(`http ${status}: ${res.err.message}`);
  return serializeJson(res.ok);
}
