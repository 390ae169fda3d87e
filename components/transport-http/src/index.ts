// transport-http: secure-log:log/transport@0.1.0 over outgoing wasi:http, with
// fetch() (componentize-js's `http` feature). The settings are read from
// wasi:cli/environment at the first call, never at load (docs/design/rpc.md).
// `rpc` is async: componentize-js runs the event loop until it settles, and a
// rejection with a `payload` is the WIT err.

import { getEnvironment } from "wasi:cli/environment@0.2.12";
import { transportConfig, type TransportConfig } from "./config";
import { httpRpc, TransportError } from "./http-rpc";

let configured: TransportConfig | undefined;

async function rpc(method: string, paramsJson: string): Promise<string> {
  try {
    configured ??= transportConfig(getEnvironment());
    return await httpRpc(configured, method, paramsJson);
  } catch (e) {
    if (e instanceof TransportError) throw e;
    throw new TransportError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}

export const transport = { rpc };
