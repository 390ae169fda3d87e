// init, append, read, tail, head.

import { ENCODER_CBOR, SEVERITIES, type EntryFields, type Severity } from "../src/core/model";
import type { StackApi } from "../verify/stack-api";
import { flag, has, parseCount, parseU64, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { openLog, requireStream } from "./context";
import { DEFAULT_INTERVAL_MS, follow, FOLLOW_COMMAND, globalHead, stopOnSignal } from "./follow";
import { readInput } from "./input";
import { bold, fields, table, toJson, usageError } from "./output";

function parseSeverity(text: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(text)) return text as Severity;
  throw usageError(`unknown severity '${text}'; valid severities: ${SEVERITIES.join(", ")}`);
}

/** The payload as text when it is printable UTF-8, else hex. */
function showPayload(payload: Uint8Array): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(payload);
  // eslint-disable-next-line no-control-regex
  return /^[^\x00-\x08\x0e-\x1f\ufffd]*$/.test(text)
    ? text
    : `hex:${Buffer.from(payload).toString("hex")}`;
}

function entryJson(seqno: bigint, e: EntryFields) {
  return { ...e, seqno, payloadText: showPayload(e.payload) };
}

function entryRow(seqno: bigint, e: EntryFields): string[] {
  const line = showPayload(e.payload).replace(/\s+/g, " ");
  return [
    String(seqno),
    e.timestampRfc3339,
    e.streamId,
    e.severity,
    e.eventType,
    e.producer,
    line.length > 60 ? `${line.slice(0, 59)}…` : line,
  ];
}

const ENTRY_HEADERS = ["SEQNO", "TIME", "STREAM", "SEVERITY", "EVENT", "PRODUCER", "PAYLOAD"];

export const init: Command = {
  name: "init",
  summary: "create the data directory and open (create) the store in it",
  usage: "secure-log init [--data DIR] [--stack file|sqlite|remote]",
  examples: [
    "secure-log init --data ./audit",
    "secure-log --stack file init --data ./audit-jsonl",
    "SECURE_LOG_RPC_URL=http://127.0.0.1:8080/rpc SECURE_LOG_RPC_TOKEN=… secure-log --stack remote init",
  ],
  flags: {},
  async run(p, g) {
    positionals(p, []);
    const { stack } = await openLog(g, true);
    const file = stack.storeConfig.replace(/^\/data\//, "");
    // A remote store lives in its server; only the anti-rollback head file is local.
    const where =
      g.stack === "remote"
        ? `at ${process.env["SECURE_LOG_RPC_URL"]} (head file in ${g.dataDir})`
        : `in ${g.dataDir} (${file})`;
    if (g.json) out(toJson({ dataDir: g.dataDir, stack: g.stack, dataFile: file }));
    else out(`initialised ${g.stack} store ${where}`);
    return 0;
  },
};

export const append: Command = {
  name: "append",
  summary: "append one entry to a stream",
  usage:
    "secure-log append [PAYLOAD | - | --file F] [--stream S] [--event-type T] [--severity L] [--producer P] [--encoding E]",
  options: [
    "PAYLOAD            the payload as text; `-` reads it from stdin",
    "--file F           read the payload from file F",
    "--stream S         stream to append to (default: default)",
    "--event-type T     event type (default: event)",
    `--severity L       one of ${SEVERITIES.join(", ")} (default: info)`,
    "--producer P       producer name (default: secure-log-cli)",
    `--encoding E       payload encoding label (default: ${ENCODER_CBOR})`,
  ],
  examples: [
    `secure-log append '{"user":"alice","action":"login"}' --event-type auth.login`,
    "echo 'rotated keys' | secure-log append - --stream ops --severity notice",
    "secure-log append --file report.json --encoding json --stream audit",
  ],
  flags: {
    file: { value: true },
    stream: { value: true },
    "event-type": { value: true },
    severity: { value: true },
    producer: { value: true },
    encoding: { value: true },
  },
  async run(p, g) {
    const [arg] = positionals(p, ["PAYLOAD"], 1);
    const file = flag(p, "file");
    if ((arg === undefined) === (file === undefined)) {
      throw usageError("give the payload as an argument, `-` for stdin, or --file F (exactly one)");
    }
    const severity = parseSeverity(flag(p, "severity") ?? "info");
    const payload =
      file !== undefined
        ? await readInput(file, `--file ${file}`)
        : arg === "-"
          ? await readInput("-")
          : new TextEncoder().encode(arg);
    const stream = flag(p, "stream") ?? "default";
    const eventType = flag(p, "event-type") ?? "event";
    const producer = flag(p, "producer") ?? "secure-log-cli";
    const encoding = flag(p, "encoding");
    const { api } = await openLog(g);
    const r =
      encoding === undefined
        ? await api.append(stream, eventType, severity, producer, payload)
        : await api.appendWithEncoding(stream, eventType, severity, producer, payload, encoding);
    if (g.json) out(toJson({ stream, ...r }));
    else
      out(
        `appended seqno ${r.seqno} to '${stream}' (${payload.length} B, entry hash ${Buffer.from(r.entryHash).toString("hex")})`,
      );
    return 0;
  },
};

export const read: Command = {
  name: "read",
  summary: "show one entry",
  usage: "secure-log read SEQNO",
  examples: ["secure-log read 12", "secure-log read 12 --json | jq -r .payloadText"],
  flags: {},
  async run(p, g) {
    const [s] = positionals(p, ["SEQNO"]);
    const seqno = parseU64(s, "SEQNO");
    const { api } = await openLog(g);
    const e = await api.read(seqno);
    if (g.json) {
      out(toJson(entryJson(seqno, e)));
      return 0;
    }
    out(
      fields([
        ["seqno", String(seqno)],
        ["stream", e.streamId],
        ["time", e.timestampRfc3339],
        ["event type", e.eventType],
        ["severity", e.severity],
        ["producer", e.producer],
        ["encoding", e.payloadEncoding],
        ["session", e.sessionId],
        ["boot", e.bootId],
        ["prev hash", Buffer.from(e.prevEntryHash).toString("hex")],
        ["payload", showPayload(e.payload)],
      ]),
    );
    return 0;
  },
};

/** The last `n` entries of `stream` up to `head`, oldest first. */
async function lastEntries(api: StackApi, stream: string, head: bigint | undefined, n: number) {
  const found: [bigint, EntryFields][] = [];
  for (let s = head ?? 0n; s >= 1n && found.length < n; s--) {
    const e = await api.read(s).catch(() => undefined);
    if (e !== undefined && e.streamId === stream) found.push([s, e]);
  }
  return found.reverse();
}

/**
 * Prints followed entries one at a time: NDJSON, or rows aligned to the
 * header and the first rows (a later, wider cell pushes only its own row).
 */
function entryPrinter(json: boolean, first: readonly [bigint, EntryFields][]) {
  if (json) {
    return (s: bigint, e: EntryFields) => out(toJson(entryJson(s, e), 0));
  }
  // Room for 6-digit seqnos, RFC 3339 times with ms and offset, "emergency", "secure-log-cli".
  const minimum = [6, 29, 8, 9, 12, 14];
  const rows = [ENTRY_HEADERS, ...first.map(([s, e]) => entryRow(s, e))];
  const widths = minimum.map((m, i) => Math.max(m, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  out(bold(line(ENTRY_HEADERS)));
  return (s: bigint, e: EntryFields) => out(line(entryRow(s, e)));
}

export const tail: Command = {
  name: "tail",
  summary: "show the last N entries of a stream; -f follows it",
  usage: "secure-log tail [-n N] [--stream S] [-f [--interval MS]]",
  options: [
    "-n N               how many entries (default 10; with -f, 0 shows only new ones)",
    "--stream S         the stream (default: default)",
    "-f, --follow       keep polling and print each new entry in seqno order, until",
    "                   Ctrl-C (SIGINT) or SIGTERM; with --json, one JSON object per line",
    `--interval MS      the pause between --follow's polls (default ${DEFAULT_INTERVAL_MS})`,
  ],
  examples: [
    "secure-log tail",
    "secure-log tail -n 50 --stream audit --json",
    "secure-log tail -f --stream audit",
    "secure-log --json tail -f -n 0 --interval 250 | jq -r .payloadText",
  ],
  flags: {
    n: { value: true, short: "n" },
    stream: { value: true },
    follow: { value: false, short: "f" },
    interval: { value: true },
  },
  async run(p, g) {
    positionals(p, []);
    const following = has(p, "follow");
    const nText = flag(p, "n");
    const n = following && nText === "0" ? 0 : parseCount(nText, 10, "-n");
    const intervalText = flag(p, "interval");
    if (intervalText !== undefined && !following) throw usageError("--interval needs --follow");
    const intervalMs = parseCount(intervalText, DEFAULT_INTERVAL_MS, "--interval");
    const stream = flag(p, "stream") ?? "default";
    if (!following) {
      const { api } = await openLog(g);
      await requireStream(api, stream);
      const found = await lastEntries(api, stream, await api.head(stream), n);
      if (g.json) out(toJson(found.map(([s, e]) => entryJson(s, e))));
      else if (found.length === 0) out(`stream '${stream}' has no entries`);
      else
        out(
          table(
            ENTRY_HEADERS,
            found.map(([s, e]) => entryRow(s, e)),
          ),
        );
      return 0;
    }
    const stop = stopOnSignal();
    try {
      const log = await openLog(g, false, { command: FOLLOW_COMMAND, signal: stop.signal });
      let after: bigint;
      let found: [bigint, EntryFields][];
      try {
        await requireStream(log.api, stream);
        // The log's head first: see follow.ts `poll`.
        const newest = await globalHead(log.api);
        const head = await log.api.head(stream);
        found = await lastEntries(log.api, stream, head, n);
        after = head !== undefined && head > newest ? head : newest;
      } finally {
        log.release();
      }
      const print = entryPrinter(g.json, found);
      for (const [s, e] of found) print(s, e);
      await follow(g, { stream, after, intervalMs, onEntry: print }, stop.signal);
      return 0;
    } catch (e) {
      // Interrupted while opening or reading: a normal end of a follow.
      if (stop.signal.aborted) return 0;
      throw e;
    } finally {
      stop.done();
    }
  },
};

export const head: Command = {
  name: "head",
  summary: "show the newest seqno of a stream (of every stream without --stream)",
  usage: "secure-log head [--stream S]",
  examples: ["secure-log head", "secure-log head --stream audit --json"],
  flags: { stream: { value: true } },
  async run(p, g) {
    positionals(p, []);
    const { api } = await openLog(g);
    const only = flag(p, "stream");
    const names = only !== undefined ? [only] : (await api.listStreams()).map((s) => s.name);
    if (only !== undefined) await requireStream(api, only);
    const heads = await Promise.all(names.map(async (n) => [n, await api.head(n)] as const));
    if (g.json) out(toJson(Object.fromEntries(heads.map(([n, h]) => [n, h ?? null]))));
    else
      out(
        table(
          ["STREAM", "HEAD"],
          heads.map(([n, h]) => [n, h === undefined ? "-" : String(h)]),
        ),
      );
    return 0;
  },
};
