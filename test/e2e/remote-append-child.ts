// One writer of remote-stack.test.ts's race, in its own process so that its
// blocking HTTP (preview2-shim) does not serialize it with the others:
//
//   node --import tsx remote-append-child.ts <stack.wasm> <dataDir> <url> <token> <stream> <writer> <count>
//
// Instantiates the remote stack, opens it, prints "ready", waits for a line
// on stdin, appends <count> entries with payload "w<writer>-<i>" and prints
// one JSON line: the seqnos it got, and how many 409 answers it saw (each one
// a lost compare-and-append the core retried).

import * as shim from "@bytecodealliance/preview2-shim";
import { createInterface } from "node:readline";
import { WasmStack } from "../../verify/wasm-stack";
import { keystoreEnv } from "../../verify/workload";

const [stackFile, dataDir, url, token, stream, writer, countText] = process.argv.slice(2);

// Counts the HTTP 409 answers the transport receives (each response once).
type Types = { IncomingResponse: { prototype: { status(): number } } };
const proto = (shim.http.types as unknown as Types).IncomingResponse.prototype;
const status = proto.status;
const seen = new WeakSet<object>();
let conflicts = 0;
proto.status = function (this: object) {
  const s = status.call(this);
  if (s === 409 && !seen.has(this)) {
    seen.add(this);
    conflicts++;
  }
  return s;
};

const stack = await WasmStack.load(stackFile!);
const env = { ...keystoreEnv("ed25519"), SECURE_LOG_RPC_URL: url!, SECURE_LOG_RPC_TOKEN: token! };
// SECURE_LOG_RPC_URL is given, so the harness's RemoteStore starts no server of its own.
const exports = await stack.instantiateExports({ dataDir: dataDir!, env });
const log = exports.log as Record<string, (...a: unknown[]) => unknown>;
await log["open"]!(stack.storeConfig);

console.log("ready");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();

const seqnos: string[] = [];
const started = performance.now();
for (let i = 0; i < Number(countText); i++) {
  const payload = new TextEncoder().encode(`w${writer}-${i}`);
  const r = (await log["append"]!(stream, "race.append", "info", "race", payload)) as {
    seqno: bigint;
  };
  seqnos.push(r.seqno.toString());
}
const ms = performance.now() - started;
console.log(JSON.stringify({ writer, seqnos, conflicts, ms }));
