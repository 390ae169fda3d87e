export { PlugError, type PlugErrorCode } from "./errors";
export { plug, type NamedComponent, type PlugResult } from "./plug";
