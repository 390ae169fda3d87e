// The log itself on one instance: streams, appends of every severity and
// payload size, read, head, verify-chain, segments, an inclusion proof for
// every entry, signing, and stream deprecation.

import { ZERO_HASH, type SegmentInfo } from "../src/core/model";
import type { Section } from "./checks";
import { ensure, errorText, failsWith, same } from "./expect";
import { signAndVerify } from "./scenario-signing";
import type { StackApi } from "./stack-api";
import {
  PAYLOAD_SIZES,
  PRODUCER,
  STREAM_A,
  STREAM_B,
  payload,
  plannedEntries,
  type PlannedEntry,
} from "./workload";

export interface Written extends PlannedEntry {
  seqno: bigint;
  entryHash: Uint8Array;
}

/** What the log should hold after the lifecycle, for the checks of a new instance. */
export interface LogState {
  entries: Written[];
  /** Every segment, as close-segment returned it plus its signature. */
  segments: SegmentInfo[];
  /** The stream that ends up deprecated. */
  deprecated: string;
}

const inStream = (entries: Written[], streamId: string) =>
  entries.filter((e) => e.streamId === streamId);

/** Every entry's fields, and each prev-entry-hash is the stream's previous entry-hash. */
export async function checkEntries(api: StackApi, entries: Written[]): Promise<void> {
  const last = new Map<string, Uint8Array>();
  for (const e of entries) {
    const f = await api.read(e.seqno);
    same(f.seqno, e.seqno, `read(${e.seqno}).seqno`);
    same(f.streamId, e.streamId, `read(${e.seqno}).streamId`);
    same(f.eventType, e.eventType, `read(${e.seqno}).eventType`);
    same(f.severity, e.severity, `read(${e.seqno}).severity`);
    same(f.producer, PRODUCER, `read(${e.seqno}).producer`);
    same(f.payloadEncoding, e.encoding ?? "cbor", `read(${e.seqno}).payloadEncoding`);
    same(f.payload, e.payload, `read(${e.seqno}).payload`);
    same(f.prevEntryHash, last.get(e.streamId) ?? ZERO_HASH, `read(${e.seqno}).prevEntryHash`);
    last.set(e.streamId, e.entryHash);
  }
}

/** Builds and verifies a proof for every sealed entry; returns how many. */
export async function checkProofs(api: StackApi, entries: Written[], segments: SegmentInfo[]) {
  let n = 0;
  for (const e of entries) {
    const seg = segments.find(
      (s) => s.streamId === e.streamId && s.seqStart <= e.seqno && e.seqno <= s.seqEnd,
    );
    if (seg === undefined) continue;
    const proof = await api.buildInclusionProof(e.seqno);
    same(proof.segmentId, seg.segmentId, `proof(${e.seqno}).segmentId`);
    same(proof.entryHash, e.entryHash, `proof(${e.seqno}).entryHash`);
    same(proof.merkleRoot, seg.merkleRoot, `proof(${e.seqno}).merkleRoot`);
    await api.verifyInclusionProof(proof, seg.merkleRoot);
    n++;
  }
  return n;
}

async function appendAll(api: StackApi, planned: PlannedEntry[]): Promise<Written[]> {
  const out: Written[] = [];
  for (const p of planned) {
    const r =
      p.encoding === undefined
        ? await api.append(p.streamId, p.eventType, p.severity, PRODUCER, p.payload)
        : await api.appendWithEncoding(
            p.streamId,
            p.eventType,
            p.severity,
            PRODUCER,
            p.payload,
            p.encoding,
          );
    ensure(r.entryHash.length === 32, `append: entry hash of ${r.entryHash.length} bytes`);
    const previous = out.at(-1)?.seqno ?? 0n;
    same(r.seqno, previous + 1n, `seqno after ${previous}`);
    out.push({ ...p, ...r });
  }
  return out;
}

export async function logLifecycle(s: Section, api: StackApi, config: string): Promise<LogState> {
  await s.check("open", async () => {
    await api.open(config);
    return config;
  });

  await s.check("create-stream, list-streams", async () => {
    await api.createStream(STREAM_A, "protected", "authentication events");
    await api.createStream(STREAM_B, "public", undefined);
    const streams = await api.listStreams();
    const a = streams.find((x) => x.name === STREAM_A);
    const b = streams.find((x) => x.name === STREAM_B);
    same(
      a,
      {
        name: STREAM_A,
        tier: "protected",
        description: "authentication events",
        deprecatedAt: undefined,
      },
      STREAM_A,
    );
    same(
      b,
      { name: STREAM_B, tier: "public", description: undefined, deprecatedAt: undefined },
      STREAM_B,
    );
    return `${streams.length} streams: ${streams.map((x) => x.name).join(", ")}`;
  });

  const planned = plannedEntries();
  const entries = await s.value("append, append-with-encoding", async () => {
    const written = await appendAll(api, planned);
    const max = Math.max(...PAYLOAD_SIZES);
    return [`${written.length} entries, 8 severities, 0 B–${max / 1024} KiB`, written] as const;
  });

  await s.check("read every entry", async () => {
    await checkEntries(api, entries);
    return `${entries.length} entries, fields and prev-hash links match`;
  });

  await s.check("head", async () => {
    for (const id of [STREAM_A, STREAM_B])
      same(await api.head(id), inStream(entries, id).at(-1)!.seqno, `head(${id})`);
    same(await api.head("no.such.stream"), undefined, "head of an unknown stream");
    return `${STREAM_A}=${await api.head(STREAM_A)}, ${STREAM_B}=${await api.head(STREAM_B)}, unknown=none`;
  });

  await s.check("verify-chain", async () => {
    for (const id of [STREAM_A, STREAM_B]) await api.verifyChain(id, 1n, entries.at(-1)!.seqno);
    const a = inStream(entries, STREAM_A);
    await api.verifyChain(STREAM_A, a[3]!.seqno, a[6]!.seqno);
    return "both streams in full, and a middle range";
  });

  const segments: SegmentInfo[] = [];
  await s.check("close-segment", async () => {
    for (const id of [STREAM_A, STREAM_B]) {
      const seg = await api.closeSegment(id);
      const mine = inStream(entries, id);
      same(
        [seg.streamId, seg.seqStart, seg.seqEnd],
        [id, mine[0]!.seqno, mine.at(-1)!.seqno],
        `segment of ${id}`,
      );
      same(seg.lastEntryHash, mine.at(-1)!.entryHash, `segment of ${id}: last entry hash`);
      same(seg.prevCheckpointHash, ZERO_HASH, `segment of ${id}: prev checkpoint hash`);
      ensure(
        seg.merkleRoot.length === 32 && seg.signature === undefined,
        `segment of ${id}: root or signature`,
      );
      segments.push(seg);
    }
    return segments
      .map((g) => `#${g.segmentId} ${g.streamId} ${g.seqStart}..${g.seqEnd}`)
      .join(", ");
  });

  await s.check("close-segment with nothing new → empty-segment", async () => {
    const e = await failsWith("empty-segment", () => api.closeSegment(STREAM_A));
    same(e.val, STREAM_A, "empty-segment names the stream");
    return `empty-segment(${e.val})`;
  });

  await s.check("list-segments, read-segment", async () => {
    for (const seg of segments) {
      same(await api.listSegments(seg.streamId), [seg], `list-segments(${seg.streamId})`);
      same(await api.readSegment(seg.segmentId), seg, `read-segment(${seg.segmentId})`);
    }
    await failsWith("segment-not-found", () => api.readSegment(999n));
    return `${segments.length} segments; unknown id → segment-not-found`;
  });

  await s.check("inclusion proof for every entry", async () => {
    const n = await checkProofs(api, entries, segments);
    same(n, entries.length, "entries with a proof");
    const proof = await api.buildInclusionProof(entries[0]!.seqno);
    const wrong = segments.find((g) => g.segmentId !== proof.segmentId)!.merkleRoot;
    await failsWith("inclusion-mismatch", () => api.verifyInclusionProof(proof, wrong));
    return `${n} proofs verified; a wrong root → inclusion-mismatch`;
  });

  await s.check("second segment chains to the first", async () => {
    for (let i = 0; i < 3; i++) {
      const more = {
        streamId: STREAM_A,
        eventType: "event.after",
        severity: "info" as const,
        payload: payload(100 + i, 90 + i),
      };
      entries.push({
        ...more,
        ...(await api.append(more.streamId, more.eventType, more.severity, PRODUCER, more.payload)),
      });
    }
    const seg = await api.closeSegment(STREAM_A);
    ensure(
      !seg.prevCheckpointHash.every((b) => b === 0),
      "prev checkpoint hash of segment 2 is zero",
    );
    segments.push(seg);
    same(
      await api.listSegments(STREAM_A),
      segments.filter((g) => g.streamId === STREAM_A),
      "list-segments",
    );
    await checkProofs(api, entries, [seg]);
    return `#${seg.segmentId} ${seg.seqStart}..${seg.seqEnd}, proofs verified`;
  });

  await signAndVerify(s, api, segments, "ed25519");

  await s.check("deprecate-stream refuses appends", async () => {
    await api.deprecateStream(STREAM_B);
    const b = (await api.listStreams()).find((x) => x.name === STREAM_B);
    ensure(b?.deprecatedAt !== undefined, `${STREAM_B} has no deprecated-at`);
    const e = await failsWith("invalid", () =>
      api.append(STREAM_B, "late", "info", PRODUCER, new Uint8Array(1)),
    );
    ensure(errorText(e).includes("deprecated"), `refusal does not say why: ${errorText(e)}`);
    await api.verifyChain(STREAM_B, 1n, entries.at(-1)!.seqno);
    same(
      await api.head(STREAM_B),
      inStream(entries, STREAM_B).at(-1)!.seqno,
      "head after the refusal",
    );
    return `deprecated-at ${b.deprecatedAt}; append → invalid; still verifies`;
  });

  return { entries, segments, deprecated: STREAM_B };
}
