// The encoder component (world secure-log:components/encoder): the canonical
// CBOR encoder of src/core/encoder.ts and nothing else. Stacks plug it into the
// encoder import that the store interface's severity type brings along.

import { ENCODER_NAME, encodeCheckpoint, encodeEntry } from "../../../src/core/encoder";

export const encoder = {
  encodeEntry,
  encodeCheckpoint,
  name: (): string => ENCODER_NAME,
};
