// store-sqlite: secure-log:log/store@0.1.0 in a SQLite database, run by the
// imported sqlite-engine component. `init(config)` takes the database's path
// under a preopened directory of the engine. Nothing here calls an import at
// load time (componentize-js runs this module at build time).

import * as engine from "secure-log:sqlite/engine@0.1.0";
import { SqliteStore } from "../../../src/stores/sqlite/sqlite-store";
import { exportStore } from "../../store-file/src/boundary";

export const store = exportStore(new SqliteStore(engine));
