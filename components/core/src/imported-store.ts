// The imported `secure-log:log/store@0.1.0` as the core's Store. The bound
// functions already have the Store's shape (errors thrown with the store's
// diagnostic as `payload`, which storeCall reports as log-error::storage);
// only list<u64> needs converting, from a BigUint64Array to an array.

import * as wit from "secure-log:log/store@0.1.0";
import type { Store } from "../../../src/core/store";

export const importedStore: Store = {
  ...wit,
  secureLogSegmentEntrySeqnos: (segmentId) =>
    Array.from(wit.secureLogSegmentEntrySeqnos(segmentId)),
};
