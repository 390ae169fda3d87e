// What survives the instance: a new instance on the same data directory must
// see the same log and verify it, and one flipped byte in the stored data must
// make verification fail at exactly that entry.

import type { Section } from "./checks";
import { ensure, errorText, failsWith, same } from "./expect";
import { checkEntries, checkProofs, type LogState } from "./scenario-log";
import { checkpointChains } from "./scenario-signing";
import type { InstanceOptions, Stack } from "./stack-api";
import { PRODUCER, STREAM_A, STREAM_B } from "./workload";

const streamsOf = (state: LogState) => [...new Set(state.entries.map((e) => e.streamId))];

export async function reopenSection(
  s: Section,
  stack: Stack,
  instance: InstanceOptions,
  state: LogState,
): Promise<void> {
  const api = await stack.instantiate(instance);
  await s.check("open", async () => {
    await api.open(stack.storeConfig);
    return "fresh instance, same data directory and keystore";
  });
  await s.check("list-streams, head", async () => {
    const streams = await api.listStreams();
    for (const id of streamsOf(state)) {
      const info = streams.find((x) => x.name === id);
      ensure(info !== undefined, `stream ${id} is missing`);
      same(info.deprecatedAt !== undefined, id === state.deprecated, `${id} deprecated`);
      const last = state.entries.filter((e) => e.streamId === id).at(-1)!.seqno;
      same(await api.head(id), last, `head(${id})`);
    }
    return `${streams.length} streams, ${state.deprecated} still deprecated, heads unchanged`;
  });
  await s.check("read every entry", async () => {
    await checkEntries(api, state.entries);
    return `${state.entries.length} entries identical`;
  });
  await s.check("verify-chain", async () => {
    const to = state.entries.at(-1)!.seqno;
    for (const id of streamsOf(state)) await api.verifyChain(id, 1n, to);
    return `${streamsOf(state).join(", ")}: 1..${to}`;
  });
  await s.check("list-segments, inclusion proofs", async () => {
    for (const id of streamsOf(state)) {
      same(
        await api.listSegments(id),
        state.segments.filter((g) => g.streamId === id),
        `list-segments(${id})`,
      );
    }
    const n = await checkProofs(api, state.entries, state.segments);
    return `${state.segments.length} segments with signatures, ${n} proofs verified`;
  });
  await checkpointChains(s, api, state.segments, "ed25519");
  await s.check("append continues the chain", async () => {
    const next = state.entries.at(-1)!.seqno + 1n;
    const r = await api.append(
      STREAM_A,
      "event.reopened",
      "info",
      PRODUCER,
      new Uint8Array([1, 2, 3]),
    );
    same(r.seqno, next, "seqno after reopening");
    same(
      (await api.read(r.seqno)).prevEntryHash,
      state.entries.filter((e) => e.streamId === STREAM_A).at(-1)!.entryHash,
      "prev-entry-hash",
    );
    await api.verifyChain(STREAM_A, 1n, r.seqno);
    await failsWith("invalid", () =>
      api.append(state.deprecated, "late", "info", PRODUCER, new Uint8Array(0)),
    );
    return `seqno ${r.seqno} links to the last entry; ${state.deprecated} still refuses`;
  });
}

export async function tamperSection(
  s: Section,
  stack: Stack,
  instance: InstanceOptions,
  state: LogState,
): Promise<void> {
  // An entry inside the first sealed segment, with a payload to flip.
  const target = state.entries.filter((e) => e.streamId === STREAM_A && e.payload.length >= 24)[1]!;
  await s.check("flip one byte of a stored entry", async () =>
    stack.tamperEntry(instance.dataDir, target),
  );
  const api = await stack.instantiate(instance);
  await s.check("open the tampered data", async () => {
    await api.open(stack.storeConfig);
    return "the store still opens: every record is well formed";
  });
  await s.check(`verify-chain → chain-broken at ${target.seqno}`, async () => {
    const e = await failsWith("chain-broken", () =>
      api.verifyChain(STREAM_A, 1n, state.entries.at(-1)!.seqno),
    );
    same(e.val.seqno, target.seqno, "chain-broken seqno");
    return errorText(e);
  });
  await s.check("the other stream still verifies", async () => {
    await api.verifyChain(STREAM_B, 1n, state.entries.at(-1)!.seqno);
    return `${STREAM_B} is untouched`;
  });
}
