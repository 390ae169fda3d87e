// Where the build reads and writes, all relative to the repository root.

import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The one WIT tree every component is built against. */
export const WIT_DIR = join(ROOT, "wit");
export const COMPONENTS_DIR = join(ROOT, "components");
export const DIST_COMPONENTS_DIR = join(ROOT, "dist", "components");
/** Content-addressed outputs: `<hash>.wasm` (and the bundle it came from). */
export const BUILD_CACHE_DIR = join(ROOT, ".cache", "build");
