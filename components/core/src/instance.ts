// The component's one SecureLog, made on first use: module top-level code
// runs at build time (Wizer), when no import (store, random, clock, env,
// files) may be called. The session id is drawn by the log at first use; the
// boot id comes from the environment (environment.ts).

import { SecureLog } from "../../../src/core/log";
import { preopenedFileSystem } from "../../../src/wasi/preopened";
import type { WasiFileSystem } from "../../../src/wasi/wasi-file-system";
import { bootIdFromEnvironment } from "./environment";
import { importedSigner } from "./imported-signer";
import { importedStore } from "./imported-store";
import { WasiHeadStorage } from "./wasi-head-storage";

let files: WasiFileSystem | undefined;
const heads = new WasiHeadStorage(() => (files ??= preopenedFileSystem()));
let instance: SecureLog | undefined;

export function secureLog(): SecureLog {
  instance ??= new SecureLog({
    store: importedStore,
    signer: importedSigner(),
    heads,
    bootId: bootIdFromEnvironment(),
  });
  return instance;
}

/** Opens the store, then keeps the head file beside it. */
export async function openLog(config: string): Promise<void> {
  await secureLog().open(config);
  heads.bind(config);
}
