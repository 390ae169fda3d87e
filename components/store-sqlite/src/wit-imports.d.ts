// The engine import as componentize-js binds it in the guest: calls are
// synchronous and a WIT `err` is thrown as an error whose `payload` is the
// engine's message. The shapes are src/stores/sqlite/engine.ts.

declare module "secure-log:sqlite/engine@0.1.0" {
  type Engine = import("../../../src/stores/sqlite/engine").Engine;
  export const open: Engine["open"];
  export const execute: Engine["execute"];
  export const executeMany: Engine["executeMany"];
  export const query: Engine["query"];
  export const close: Engine["close"];
}
