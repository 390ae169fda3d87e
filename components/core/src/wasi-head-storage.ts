// The anti-rollback head file (FORMAT §7.1) under the preopened directory the
// store's path lives in: <store path>.heads.json, replaced atomically
// (write <file>.tmp, sync, rename). Which file is known only once `open`
// has named the store, so the path is bound then.

import { errors } from "../../../src/core/errors";
import { headFilePath, type HeadStorage } from "../../../src/core/head-file";
import type { FileSystem } from "../../../src/wasi/file-system";

// Fatal so a corrupt file is refused rather than patched with U+FFFD; the BOM
// is kept so the parser rejects it, as the Node head storage does.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Stores that are not a file have no place beside them for a head file:
 * SQLite's ":memory:" and endpoints ("https://…"). Their heads are not kept.
 */
export function headFileFor(storeConfig: string): string | undefined {
  if (storeConfig === ":memory:" || /^[a-z][a-z0-9+.-]*:\/\//i.test(storeConfig)) return undefined;
  return headFilePath(storeConfig);
}

export class WasiHeadStorage implements HeadStorage {
  private path: string | undefined;

  /** `fs` is called on first use: no WASI call may run at build time. */
  constructor(private readonly fs: () => FileSystem) {}

  /** Follows the store `open` was given; undefined keeps no head file. */
  bind(storeConfig: string): void {
    this.path = headFileFor(storeConfig);
  }

  get file(): string | undefined {
    return this.path;
  }

  async load(): Promise<string | undefined> {
    if (this.path === undefined) return undefined;
    const bytes = this.fs().readFile(this.path);
    if (bytes === undefined) return undefined;
    try {
      return utf8.decode(bytes);
    } catch (e) {
      throw errors.storage(`head file ${this.path} is not valid UTF-8`, e);
    }
  }

  async save(text: string): Promise<void> {
    if (this.path === undefined) return;
    this.fs().writeFileAtomic(this.path, new TextEncoder().encode(text));
  }
}
