// The one error type of the wire contract. `code` travels in the response's
// `err`; the message names the field path ("params.row.seqno: …").

export type RpcErrorCode =
  | "bad-request"
  | "unauthorized"
  | "version"
  | "store"
  | "conflict"
  | "too-large"
  | "unknown-method";

export const RPC_ERROR_CODES: readonly RpcErrorCode[] = [
  "bad-request",
  "unauthorized",
  "version",
  "store",
  "conflict",
  "too-large",
  "unknown-method",
];

export class RpcError extends Error {
  readonly code: RpcErrorCode;

  constructor(code: RpcErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RpcError";
    this.code = code;
  }
}
