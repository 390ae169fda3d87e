// What every log operation needs: the store, the clock, who is writing, and the
// optional keystore, head storage and payload master key.

import type { Clock } from "./clock";
import type { HeadStorage } from "./head-file";
import type { Signer } from "./signer";
import type { Store } from "./store";

export interface WriterIdentity {
  sessionId: string;
  bootId: string;
}

export interface LogContext {
  store: Store;
  clock: Clock;
  /** Drawn on first use, never at build time (componentize-js snapshots module state). */
  writer(): WriterIdentity;
  signer?: Signer;
  heads?: HeadStorage;
  masterKey?: Uint8Array;
}
