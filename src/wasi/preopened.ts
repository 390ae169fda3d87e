// The one place that imports wasi:filesystem at run time. Only component entries
// import this file; Node code and tests build a WasiFileSystem from the shim.

import { getDirectories } from "wasi:filesystem/preopens@0.2.12";
import { WasiFileSystem } from "./wasi-file-system";

/** A FileSystem over this component's preopened directories (fetched on first use). */
export function preopenedFileSystem(): WasiFileSystem {
  return new WasiFileSystem(getDirectories);
}
