// The server's settings, read from the guest's environment once, at the first
// request (componentize-js runs module code at build time, when no import may
// be called). A server that cannot authenticate anyone must not serve: without
// a token, and without the explicit development switch, every request is
// refused with 503 and a message saying what to set.

import { MAX_BODY_BYTES } from "../../../src/rpc/contract";

export const TOKEN_VARIABLE = "SECURE_LOG_RPC_TOKEN";
export const INSECURE_DEV_VARIABLE = "SECURE_LOG_RPC_INSECURE_DEV";
export const MAX_BODY_VARIABLE = "SECURE_LOG_RPC_MAX_BODY";
export const DB_VARIABLE = "SECURE_LOG_RPC_DB";
export const BODY_TIMEOUT_VARIABLE = "SECURE_LOG_RPC_BODY_TIMEOUT";

/** Every variable the server reads; a host passes these and nothing else. */
export const SERVER_VARIABLES = [
  TOKEN_VARIABLE,
  INSECURE_DEV_VARIABLE,
  MAX_BODY_VARIABLE,
  BODY_TIMEOUT_VARIABLE,
  DB_VARIABLE,
] as const;

export const DEFAULT_MAX_BODY = 1024 * 1024;
export const DEFAULT_DB = "/data/secure-log.db";
/** Seconds a client has to send its whole body (the server serves one request at a time). */
export const DEFAULT_BODY_TIMEOUT = 30;

export interface ServerConfig {
  /** Bearer token every request must carry; undefined only in insecure development mode. */
  token: string | undefined;
  maxBody: number;
  bodyTimeoutSeconds: number;
  /** The database path under the guest's preopens. Clients never choose it. */
  dbPath: string;
}

/** Why the server refuses to serve, in words an operator can act on. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function readConfig(env: ReadonlyMap<string, string>): ServerConfig {
  const token = env.get(TOKEN_VARIABLE) ?? "";
  const insecure = env.get(INSECURE_DEV_VARIABLE) === "1";
  if (token === "" && !insecure) {
    throw new ConfigError(
      `rpc-server has no token: set ${TOKEN_VARIABLE} in its environment ` +
        `(or ${INSECURE_DEV_VARIABLE}=1 to serve without one, for development only)`,
    );
  }
  const maxBody = positive(
    env,
    MAX_BODY_VARIABLE,
    DEFAULT_MAX_BODY,
    MAX_BODY_BYTES,
    "a byte count",
  );
  const bodyTimeoutSeconds = positive(
    env,
    BODY_TIMEOUT_VARIABLE,
    DEFAULT_BODY_TIMEOUT,
    3600,
    "a number of seconds",
  );
  const dbPath = env.get(DB_VARIABLE) || DEFAULT_DB;
  return { token: token === "" ? undefined : token, maxBody, bodyTimeoutSeconds, dbPath };
}

function positive(
  env: ReadonlyMap<string, string>,
  name: string,
  fallback: number,
  max: number,
  what: string,
): number {
  const text = env.get(name) ?? "";
  if (text === "") return fallback;
  if (!/^[1-9][0-9]{0,9}$/.test(text) || Number(text) > max) {
    throw new ConfigError(`${name}=${JSON.stringify(text)}: expected ${what} from 1 to ${max}`);
  }
  return Number(text);
}
