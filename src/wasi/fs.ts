// Whole-file operations on one wasi:filesystem 0.2 directory descriptor. Every
// descriptor opened here is dropped before returning, so no handle outlives a
// call. WASI errors arrive as an `error-code` string (preview2-shim throws the
// string; a componentize-js guest throws an error whose `payload` is it).

import type {
  Descriptor,
  ErrorCode,
} from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";

const READ_CHUNK = 1 << 20;
const dispose: symbol =
  (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for("dispose");

/** The WASI `error-code` behind a thrown value, if it is one. */
export function wasiErrorCode(e: unknown): ErrorCode | undefined {
  if (typeof e === "string") return e as ErrorCode;
  if (typeof e === "object" && e !== null && "payload" in e) {
    const p = (e as { payload: unknown }).payload;
    if (typeof p === "string") return p as ErrorCode;
  }
  return undefined;
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  "no-entry": "no such file or directory",
  access: "permission denied",
  "not-permitted": "operation not permitted",
  "read-only": "read-only file system",
  "is-directory": "is a directory",
  "not-directory": "a path component is not a directory",
  "insufficient-space": "no space left on device",
  quota: "disk quota exceeded",
  io: "I/O error",
};

/** A readable reason for a thrown WASI error ("no-entry (no such file or directory)"). */
export function describeWasiError(e: unknown): string {
  const code = wasiErrorCode(e);
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  const hint = HINTS[code];
  return hint === undefined ? code : `${code} (${hint})`;
}

function using<T>(d: Descriptor, work: (d: Descriptor) => T): T {
  try {
    return work(d);
  } finally {
    (d as unknown as Record<symbol, (() => void) | undefined>)[dispose]?.();
  }
}

function writeAll(file: Descriptor, bytes: Uint8Array, offset: bigint): void {
  let done = 0;
  while (done < bytes.length) {
    const n = Number(file.write(bytes.subarray(done), offset + BigInt(done)));
    if (n <= 0) throw new Error(`write made no progress at byte ${done} of ${bytes.length}`);
    done += n;
  }
}

/** The file's bytes, or undefined when it does not exist. */
export function readFileAt(dir: Descriptor, path: string): Uint8Array | undefined {
  let file: Descriptor;
  try {
    file = dir.openAt({ symlinkFollow: true }, path, {}, { read: true });
  } catch (e) {
    if (wasiErrorCode(e) === "no-entry") return undefined;
    throw e;
  }
  return using(file, (f) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const [bytes, eof] = f.read(BigInt(READ_CHUNK), BigInt(total));
      if (bytes.length > 0) chunks.push(bytes);
      total += bytes.length;
      if (eof || bytes.length === 0) break;
    }
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  });
}

/** Writes at the current end (one writer assumed) and syncs the data. */
export function appendDurableAt(dir: Descriptor, path: string, bytes: Uint8Array): void {
  const file = dir.openAt({ symlinkFollow: true }, path, { create: true }, { write: true });
  using(file, (f) => {
    writeAll(f, bytes, f.stat().size);
    f.syncData();
  });
}

export function truncateAt(dir: Descriptor, path: string, size: number): void {
  const file = dir.openAt({ symlinkFollow: true }, path, {}, { write: true });
  using(file, (f) => {
    f.setSize(BigInt(size));
    f.syncData();
  });
}

/** Writes `path.tmp`, syncs it and renames it over `path` (same directory). */
export function writeFileAtomicAt(dir: Descriptor, path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp`;
  try {
    const file = dir.openAt(
      { symlinkFollow: true },
      tmp,
      { create: true, truncate: true },
      { write: true },
    );
    using(file, (f) => {
      writeAll(f, bytes, 0n);
      f.syncData();
    });
    dir.renameAt(tmp, dir, path);
  } catch (e) {
    try {
      dir.unlinkFileAt(tmp);
    } catch {
      // Nothing to clean up, or cannot: the original error matters more.
    }
    throw e;
  }
  try {
    dir.sync();
  } catch {
    // Hosts may refuse to sync a (preopened) directory; the rename has happened,
    // only its durability across a power cut is less certain.
  }
}

export function existsAt(dir: Descriptor, path: string): boolean {
  try {
    dir.statAt({ symlinkFollow: true }, path);
    return true;
  } catch (e) {
    if (wasiErrorCode(e) === "no-entry") return false;
    throw e;
  }
}
