// store-file: secure-log:log/store@0.1.0 in one JSON-lines file under a
// preopened directory. `init(config)` takes the file's guest path. Nothing here
// touches an import at load time (componentize-js runs this module at build
// time); the preopens are fetched on the first call.

import { FileStore } from "../../../src/stores/file/file-store";
import { preopenedFileSystem } from "../../../src/wasi/preopened";
import { exportStore } from "./boundary";

export const store = exportStore(new FileStore(preopenedFileSystem()));
