// public-key: the key a label signs with, for an auditor to pin (`verify --bundle --trust-key`).

import { toHex } from "../src/core/hex";
import { ENV } from "../src/keystore/config";
import { flag, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { fingerprint, publicKeyOf } from "./keys";
import { fields, toJson } from "./output";

export const publicKey: Command = {
  name: "public-key",
  summary: "print the public key and fingerprint a key label signs with",
  usage: "secure-log public-key [--key LABEL]",
  options: [
    "--key LABEL        keystore key label (default: secure-log)",
    `env ${ENV.seed} or ${ENV.keyFile} (and ${ENV.algorithm}) as for sign`,
  ],
  examples: [
    "secure-log public-key > signer.txt",
    "secure-log verify --bundle evidence.jsonl --trust-key sha256:4be1…",
  ],
  flags: { key: { value: true } },
  async run(p, g) {
    positionals(p, []);
    const k = await publicKeyOf(flag(p, "key") ?? "secure-log", g.dataDir);
    const print = await fingerprint(k.publicKey);
    if (g.json) {
      out(
        toJson({
          identity: k.identity,
          algorithm: k.algorithm,
          publicKey: k.publicKey,
          fingerprint: print,
        }),
      );
    } else {
      out(
        fields([
          ["key", k.identity],
          ["algorithm", k.algorithm],
          ["public key", toHex(k.publicKey)],
          ["fingerprint", print],
        ]),
      );
    }
    return 0;
  },
};
