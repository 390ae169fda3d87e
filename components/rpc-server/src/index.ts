// rpc-server: serves the imported secure-log:log/store over HTTP (POST /rpc,
// src/rpc/contract.ts) by exporting wasi:http/incoming-handler@0.2.12. It
// implements the handler itself rather than through StarlingMonkey's fetch
// event, which the engine exports only as @0.2.10 (docs/design/rpc-server.md).
// Nothing here calls an import at load time (componentize-js runs this module
// at build time): the environment is read and the store opened at the first
// request.

import * as store from "secure-log:log/store@0.1.0";
import { getEnvironment } from "wasi:cli/environment@0.2.12";
import type { IncomingRequest, ResponseOutparam } from "wasi:http/types@0.2.12";
import type { StoreFunctions } from "./dispatch";
import { RpcServer } from "./handler";
import { adaptRequest, sendResponse } from "./wasi-http";

const server = new RpcServer(() => new Map(getEnvironment()), store as unknown as StoreFunctions);

export const incomingHandler = {
  async handle(request: IncomingRequest, responseOut: ResponseOutparam): Promise<void> {
    // server.handle answers every failure itself; what is left here is a
    // failure to send, which must not trap the instance that serves the rest.
    try {
      sendResponse(responseOut, await server.handle(adaptRequest(request)));
    } catch (e) {
      console.error(
        `rpc-server: the answer was not sent: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  },
};
