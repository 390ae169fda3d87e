// Every store call goes through `storeCall`, so a store failure always reaches
// the caller as `log-error::storage` carrying the store's own diagnostic.

import { errors, SecureLogError } from "./errors";

function diagnostic(e: unknown): string {
  // jco throws a ComponentError whose `payload` is the WIT `err` string.
  if (typeof e === "object" && e !== null && "payload" in e) {
    const p = (e as { payload: unknown }).payload;
    if (typeof p === "string") return p;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

export async function storeCall<T>(what: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof SecureLogError) throw e;
    throw errors.storage(`${what}: ${diagnostic(e)}`, e);
  }
}
