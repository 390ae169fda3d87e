// The transport's settings, from the guest's environment at the first call
// (componentize-js runs top-level code at build time, when no import may be
// called). The token is only ever put in the Authorization header.

export interface TransportConfig {
  url: string;
  /** Undefined: no Authorization header (a server that wants one answers 401). */
  token: string | undefined;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Throws an Error whose message says what to set; never echoes the token. */
export function transportConfig(pairs: readonly (readonly [string, string])[]): TransportConfig {
  const env = new Map(pairs.map(([k, v]) => [k, v] as const));
  const url = env.get("SECURE_LOG_RPC_URL") ?? "";
  if (url === "") {
    throw new Error(
      "SECURE_LOG_RPC_URL is not set (the rpc-server's endpoint, e.g. http://127.0.0.1:8080/rpc)",
    );
  }
  if (!/^https?:\/\/[^\s]+$/.test(url)) {
    throw new Error(
      `SECURE_LOG_RPC_URL must be an http:// or https:// URL, got ${JSON.stringify(url)}`,
    );
  }
  const token = env.get("SECURE_LOG_RPC_TOKEN");
  const timeoutText = env.get("SECURE_LOG_RPC_TIMEOUT_MS");
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (timeoutText !== undefined && timeoutText !== "") {
    if (!/^[1-9][0-9]{0,8}$/.test(timeoutText)) {
      throw new Error(
        `SECURE_LOG_RPC_TIMEOUT_MS must be a positive whole number of milliseconds, got ${JSON.stringify(timeoutText)}`,
      );
    }
    timeoutMs = Number(timeoutText);
  }
  return { url, token: token === "" ? undefined : token, timeoutMs };
}
