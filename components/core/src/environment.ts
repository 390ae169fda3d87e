// The boot id: SECURE_LOG_BOOT_ID from the host's environment, so every
// instance started in one boot shares it; absent or empty, the log draws
// `rand-<uuid>` itself.

import { getEnvironment } from "wasi:cli/environment@0.2.12";

export const BOOT_ID_VARIABLE = "SECURE_LOG_BOOT_ID";

export function bootIdFromEnvironment(): string | undefined {
  const found = getEnvironment().find(([name]) => name === BOOT_ID_VARIABLE);
  return found === undefined || found[1] === "" ? undefined : found[1];
}
