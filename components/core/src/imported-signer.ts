// The imported `keys:keystore/signer` as the core's Signer. A `key` resource
// already has the SigningKey methods; errors arrive with the keystore's
// `error` variant as `payload`, which the core reports with its tag.
//
// Handles are kept per label for the instance's lifetime: the guest bindings
// stop tracking a handle for finalization once a method is called on it, so
// a fresh handle per call would never be dropped.

import { getKey, type Key } from "keys:keystore/signer";
import type { Signer } from "../../../src/core/signer";

export function importedSigner(): Signer {
  const keys = new Map<string, Key>();
  return {
    getKey(label) {
      let key = keys.get(label);
      if (key === undefined) {
        key = getKey(label);
        keys.set(label, key);
      }
      return key;
    },
  };
}
