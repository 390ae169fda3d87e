/**
 * Why a composition failed. One code per failure a user can act on; the
 * message names the components and items involved and, where there is one,
 * the fix.
 */
export type PlugErrorCode =
  /** Not a component, truncated, or a section we could not parse. */
  | "malformed"
  /** A component-model feature this composer does not implement yet. */
  | "unsupported"
  /** Two plugs export the same (or a semver-compatible) name. */
  | "duplicate-export"
  /** Plugs import from each other in a loop. */
  | "cycle"
  /** An export wired to an import does not have the type the import expects. */
  | "type-mismatch"
  /** Two components import the same name with irreconcilable types. */
  | "import-conflict"
  /** No plug satisfies any import of the socket. */
  | "nothing-plugged"
  /** A file could not be read or written (CLI only). */
  | "io";

export class PlugError extends Error {
  override readonly name = "PlugError";

  constructor(
    readonly code: PlugErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
