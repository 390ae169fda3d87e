// Every store function of wit/store.wit as wire types: its parameters (WIT
// names in camelCase, in WIT order) and its result. Plus "hello", the version
// handshake. Keep in step with wit/store.wit; test/rpc checks the names.

import type { Store } from "../core/store";
import type { WireType } from "./codec";

const row: WireType = {
  record: [
    ["seqno", { option: "u64" }],
    ["streamId", "string"],
    ["sessionId", "string"],
    ["bootId", "string"],
    ["timestampRfc3339", "string"],
    ["eventType", "string"],
    ["severity", "severity"],
    ["producer", "string"],
    ["payloadEncoding", "string"],
    ["payload", "bytes"],
    ["prevEntryHash", "bytes"],
    ["entryHash", "bytes"],
  ],
};

const segmentRow: WireType = {
  record: [
    ["segmentId", { option: "u64" }],
    ["streamId", "string"],
    ["seqStart", "u64"],
    ["seqEnd", "u64"],
    ["merkleRoot", "bytes"],
    ["lastEntryHash", "bytes"],
    ["prevCheckpointHash", "bytes"],
    ["closedAtRfc3339", "string"],
    ["signature", { option: "bytes" }],
    ["signerIdentity", { option: "string" }],
  ],
};

const streamRow: WireType = {
  record: [
    ["name", "string"],
    ["tier", "string"],
    ["description", { option: "string" }],
    ["createdAtRfc3339", "string"],
    ["deprecatedAtRfc3339", { option: "string" }],
  ],
};

const witnessRow: WireType = {
  record: [
    ["id", { option: "s64" }],
    ["streamId", "string"],
    ["segmentId", "u64"],
    ["seqStart", "u64"],
    ["seqEnd", "u64"],
    ["checkpointHashHex", "string"],
    ["signatureHex", "string"],
    ["signerIdentity", "string"],
    ["receivedAtRfc3339", "string"],
  ],
};

const segmentEntry: WireType = { tuple: ["u64", "u64"] };

export interface MethodSpec {
  params: [string, WireType][];
  result: WireType;
}

/** The WIT names of every store function, plus "hello" (the version handshake). */
export const STORE_METHODS = [
  "hello",
  "init",
  "secure-log-insert",
  "secure-log-global-head",
  "secure-log-get",
  "secure-log-range",
  "secure-log-head",
  "secure-log-last",
  "secure-log-segment-insert",
  "secure-log-segment-get",
  "secure-log-segments-list",
  "secure-log-segment-last-seqno",
  "secure-log-segment-entry-seqnos",
  "secure-log-segment-for-seqno",
  "secure-log-segment-set-signature",
  "witness-log-insert",
  "witness-log-latest",
  "witness-log-list",
  "witness-log-stream-ids",
  "witness-log-gc",
  "secure-log-stream-upsert",
  "secure-log-stream-get",
  "secure-log-stream-list",
  "secure-log-stream-set-tier",
  "secure-log-stream-deprecate",
] as const;

export type StoreMethod = (typeof STORE_METHODS)[number];

export const METHODS: Readonly<Record<StoreMethod, MethodSpec>> = {
  hello: { params: [["version", "u32"]], result: { record: [["version", "u32"]] } },
  init: { params: [["config", "string"]], result: "unit" },

  "secure-log-insert": { params: [["row", row]], result: "u64" },
  "secure-log-global-head": { params: [], result: { option: "u64" } },
  "secure-log-get": { params: [["seqno", "u64"]], result: { option: row } },
  "secure-log-range": {
    params: [
      ["streamId", "string"],
      ["fromSeqno", "u64"],
      ["toSeqno", "u64"],
    ],
    result: { list: row },
  },
  "secure-log-head": { params: [["streamId", "string"]], result: { option: "u64" } },
  "secure-log-last": { params: [["streamId", "string"]], result: { option: row } },

  "secure-log-segment-insert": {
    params: [
      ["row", segmentRow],
      ["entries", { list: segmentEntry }],
    ],
    result: "u64",
  },
  "secure-log-segment-get": { params: [["segmentId", "u64"]], result: { option: segmentRow } },
  "secure-log-segments-list": { params: [["streamId", "string"]], result: { list: segmentRow } },
  "secure-log-segment-last-seqno": {
    params: [["streamId", "string"]],
    result: { option: "u64" },
  },
  "secure-log-segment-entry-seqnos": { params: [["segmentId", "u64"]], result: { list: "u64" } },
  "secure-log-segment-for-seqno": { params: [["seqno", "u64"]], result: { option: "u64" } },
  "secure-log-segment-set-signature": {
    params: [
      ["segmentId", "u64"],
      ["signature", "bytes"],
      ["signerIdentity", "string"],
    ],
    result: "unit",
  },

  "witness-log-insert": { params: [["row", witnessRow]], result: "u64" },
  "witness-log-latest": { params: [["streamId", "string"]], result: { option: witnessRow } },
  "witness-log-list": { params: [["streamId", "string"]], result: { list: witnessRow } },
  "witness-log-stream-ids": { params: [], result: { list: "string" } },
  "witness-log-gc": {
    params: [
      ["streamId", { option: "string" }],
      ["keepLatest", { option: "u32" }],
      ["olderThanRfc3339", { option: "string" }],
    ],
    result: "u32",
  },

  "secure-log-stream-upsert": { params: [["row", streamRow]], result: "unit" },
  "secure-log-stream-get": { params: [["name", "string"]], result: { option: streamRow } },
  "secure-log-stream-list": { params: [], result: { list: streamRow } },
  "secure-log-stream-set-tier": {
    params: [
      ["name", "string"],
      ["tier", "string"],
    ],
    result: "unit",
  },
  "secure-log-stream-deprecate": {
    params: [
      ["name", "string"],
      ["deprecatedAtRfc3339", "string"],
    ],
    result: "unit",
  },
};

// Fails to compile when the store interface (src/core/store.ts) gains or loses
// a function without a method here: the remote store and the server must carry
// every call.
type Camel<S extends string> = S extends `${infer H}-${infer T}`
  ? `${H}${Capitalize<Camel<T>>}`
  : S;
type Carried = Camel<Exclude<StoreMethod, "hello">>;
type Missing = Exclude<keyof Store, Carried> | Exclude<Carried, keyof Store>;
const everyFunctionCarried: [Missing] extends [never] ? true : Missing = true;
void everyFunctionCarried;
