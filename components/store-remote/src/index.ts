// store-remote: secure-log:log/store@0.1.0 as calls to another machine over the
// imported secure-log:log/transport@0.1.0 (docs/design/rpc.md). Nothing here
// calls an import at load time (componentize-js runs this module at build time).

import { rpc } from "secure-log:log/transport@0.1.0";
import { remoteStore } from "./remote-store";

export const store = remoteStore(rpc);
