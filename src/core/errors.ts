// The WIT `log-error` variant as one TypeScript union, in jco's `{ tag, val }`
// shape so a component entry can hand it across the boundary unchanged.

export type LogError =
  | { tag: "entry-not-found"; val: bigint }
  | { tag: "stream-not-found"; val: string }
  | { tag: "chain-broken"; val: { seqno: bigint; reason: string } }
  | { tag: "inclusion-mismatch"; val: { seqno: bigint; segmentId: bigint } }
  | { tag: "segment-not-found"; val: bigint }
  | { tag: "segment-already-closed"; val: bigint }
  | { tag: "empty-segment"; val: string }
  | { tag: "not-implemented" }
  | { tag: "storage"; val: string }
  | { tag: "encoding"; val: string }
  | { tag: "invalid"; val: string };

export type LogErrorCode = LogError["tag"];

/** The reference's Display text for each variant, so messages read the same on both sides. */
export function describe(e: LogError): string {
  switch (e.tag) {
    case "entry-not-found":
      return `secure log entry not found: seqno=${e.val}`;
    case "stream-not-found":
      return `stream not found: ${e.val}`;
    case "chain-broken":
      return `chain broken at seqno ${e.val.seqno}: ${e.val.reason}`;
    case "inclusion-mismatch":
      return `inclusion proof does not reconstruct expected root (seqno=${e.val.seqno}, segment_id=${e.val.segmentId})`;
    case "segment-not-found":
      return `segment not found: ${e.val}`;
    case "segment-already-closed":
      return `segment already closed: ${e.val}`;
    case "empty-segment":
      return `no entries since last segment close for stream '${e.val}'`;
    case "not-implemented":
      return "this operation is not implemented by this backend";
    case "storage":
      return `storage error: ${e.val}`;
    case "encoding":
      return `encoding error: ${e.val}`;
    case "invalid":
      return `invalid input: ${e.val}`;
  }
}

/**
 * Thrown by every core function. `payload` is what a component export returns as
 * its WIT `err` (jco maps a thrown value's `payload` to `err`).
 */
export class SecureLogError extends Error {
  readonly payload: LogError;

  constructor(payload: LogError, options?: { cause?: unknown }) {
    super(describe(payload), options);
    this.name = "SecureLogError";
    this.payload = payload;
  }

  get code(): LogErrorCode {
    return this.payload.tag;
  }
}

export const errors = {
  entryNotFound: (seqno: bigint) => new SecureLogError({ tag: "entry-not-found", val: seqno }),
  streamNotFound: (stream: string) => new SecureLogError({ tag: "stream-not-found", val: stream }),
  chainBroken: (seqno: bigint, reason: string) =>
    new SecureLogError({ tag: "chain-broken", val: { seqno, reason } }),
  inclusionMismatch: (seqno: bigint, segmentId: bigint) =>
    new SecureLogError({ tag: "inclusion-mismatch", val: { seqno, segmentId } }),
  segmentNotFound: (id: bigint) => new SecureLogError({ tag: "segment-not-found", val: id }),
  segmentAlreadyClosed: (id: bigint) =>
    new SecureLogError({ tag: "segment-already-closed", val: id }),
  emptySegment: (stream: string) => new SecureLogError({ tag: "empty-segment", val: stream }),
  notImplemented: () => new SecureLogError({ tag: "not-implemented" }),
  storage: (msg: string, cause?: unknown) =>
    new SecureLogError({ tag: "storage", val: msg }, cause === undefined ? undefined : { cause }),
  encoding: (msg: string, cause?: unknown) =>
    new SecureLogError({ tag: "encoding", val: msg }, cause === undefined ? undefined : { cause }),
  invalid: (msg: string, cause?: unknown) =>
    new SecureLogError({ tag: "invalid", val: msg }, cause === undefined ? undefined : { cause }),
};

/** Converts anything thrown into a LogError: ours pass through, the rest become `fallback`. */
export function toLogError(e: unknown, fallback: "storage" | "encoding" | "invalid"): LogError {
  if (e instanceof SecureLogError) return e.payload;
  const text = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e);
  return { tag: fallback, val: text };
}
