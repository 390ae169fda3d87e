// The WASI FileSystem in Node, over preview2-shim's wasi:filesystem (the same
// implementation jco gives a transpiled component), and FileStore over it.

import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as shim from "@bytecodealliance/preview2-shim";
import type { Descriptor } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStore } from "../../src/stores/file/file-store";
import { FileSystemError } from "../../src/wasi/file-system";
import { resolvePath } from "../../src/wasi/paths";
import { WasiFileSystem } from "../../src/wasi/wasi-file-system";

// TypeScript sees the shim's browser typings; Node runs its nodejs build, whose
// createFilesystem maps guest paths to host directories.
type Preopened = { preopens: { getDirectories: () => [Descriptor, string][] } };
const createFilesystem = shim.filesystem.createFilesystem as unknown as (config: {
  preopens: Record<string, string>;
}) => Preopened;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "file-store-wasi-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function wasiFs(preopens: Record<string, string> = { "/data": dir }): WasiFileSystem {
  const files = createFilesystem({ preopens });
  return new WasiFileSystem(() => files.preopens.getDirectories());
}

describe("resolvePath", () => {
  const preopens = [
    ["root", "/"],
    ["data", "/data"],
    ["logs", "/data/logs/"],
    ["cwd", "."],
    ["rel", "rel"],
  ] as const;
  const at = (path: string) => {
    const r = resolvePath(preopens, path, "open");
    return [r.dir, r.relative];
  };

  it("takes the longest preopen that is a whole-component prefix", () => {
    expect(at("/data/logs/a.jsonl")).toEqual(["logs", "a.jsonl"]);
    expect(at("/data/logsx/a.jsonl")).toEqual(["data", "logsx/a.jsonl"]);
    expect(at("/data//x/./y")).toEqual(["data", "x/y"]);
    expect(at("/data/logs")).toEqual(["logs", "."]);
    expect(at("/etc/x")).toEqual(["root", "etc/x"]);
  });

  it("matches relative paths against relative preopens", () => {
    expect(at("a.jsonl")).toEqual(["cwd", "a.jsonl"]);
    expect(at("./rel/b")).toEqual(["rel", "b"]);
    expect(at("rel/../c")).toEqual(["cwd", "c"]);
  });

  it("says which path and which preopens when nothing matches", () => {
    const only = [["d", "/data"]] as const;
    expect(() => resolvePath(only, "/etc/passwd", "read")).toThrow(
      "read /etc/passwd: no preopened directory contains it (preopens: '/data'); " +
        "give the host a directory mapping that covers it",
    );
    expect(() => resolvePath(only, "x.jsonl", "read")).toThrow(/preopens: '\/data'/);
    expect(() => resolvePath([], "/x", "read")).toThrow(
      /preopens: none: the host gave this component no directories/,
    );
    expect(() => resolvePath(only, "/data/../../x", "read")).toThrow(/'\.\.' climbs above/);
    expect(() => resolvePath(only, "", "read")).toThrow(FileSystemError);
  });
});

describe("WasiFileSystem over preview2-shim", () => {
  it("reads, appends durably, truncates and replaces atomically", () => {
    const fs = wasiFs();
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(fs.readFile("/data/a.txt")).toBeUndefined();
    expect(fs.exists("/data/a.txt")).toBe(false);
    fs.appendDurable("/data/a.txt", bytes("hello "));
    fs.appendDurable("/data/a.txt", bytes("world\n"));
    expect(fs.exists("/data/a.txt")).toBe(true);
    expect(new TextDecoder().decode(fs.readFile("/data/a.txt"))).toBe("hello world\n");
    fs.truncate("/data/a.txt", 5);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("hello");
    fs.writeFileAtomic("/data/a.txt", bytes("replaced"));
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("replaced");
    expect(existsSync(join(dir, "a.txt.tmp"))).toBe(false);
  });

  it("reads a file larger than one read chunk", () => {
    const fs = wasiFs();
    const big = new Uint8Array(3 * (1 << 20) + 17).map((_, i) => i % 251);
    fs.appendDurable("/data/big", big);
    // Buffer.equals: a deep toEqual over 3 MB takes half a minute.
    expect(Buffer.from(fs.readFile("/data/big")!).equals(big)).toBe(true);
  });

  it("reports failures with the operation, the path and the WASI error", () => {
    const fs = wasiFs();
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      throw new Error("expected a failure");
    };
    expect(err(() => fs.appendDurable("/data/no/dir/x", new Uint8Array(1)))).toMatchObject({
      name: "FileSystemError",
      message: "append to /data/no/dir/x: no-entry (no such file or directory)",
      cause: "no-entry",
    });
    expect(() => fs.truncate("/data/absent", 0)).toThrow("truncate /data/absent: no-entry");
    mkdirSync(join(dir, "sub"));
    expect(() => fs.readFile("/data/sub")).toThrow(/read \/data\/sub: /);
    expect(() => fs.readFile("/elsewhere")).toThrow(/no preopened directory contains it/);
  });

  it("fetches the preopens on first use only", () => {
    let calls = 0;
    const files = createFilesystem({ preopens: { "/data": dir } });
    const fs = new WasiFileSystem(() => {
      calls++;
      return files.preopens.getDirectories();
    });
    expect(calls).toBe(0);
    fs.readFile("/data/x");
    fs.readFile("/data/y");
    expect(calls).toBe(1);
  });
});

describe("FileStore over WasiFileSystem", () => {
  it("persists, recovers a torn line and reopens", () => {
    const row = (seqno: bigint) => ({
      seqno,
      streamId: "s",
      sessionId: "a",
      bootId: "b",
      timestampRfc3339: "t",
      eventType: "e",
      severity: "info" as const,
      producer: "p",
      payloadEncoding: "cbor",
      payload: new Uint8Array([1, 2, 3]),
      // Compare-and-append: each links to the one before (all hashes 1s).
      prevEntryHash: new Uint8Array(32).fill(seqno === 1n ? 0 : 1),
      entryHash: new Uint8Array(32).fill(1),
    });
    const warnings: string[] = [];
    const open = () => {
      const s = new FileStore(wasiFs(), { warn: (m) => warnings.push(m) });
      s.init("/data/log.jsonl");
      return s;
    };
    const store = open();
    for (const n of [1n, 2n]) store.secureLogInsert(row(n));
    appendFileSync(join(dir, "log.jsonl"), '{"op":"entry","seq');
    const again = open();
    expect(again.recovered?.line).toBe(5);
    expect(warnings).toHaveLength(1);
    again.secureLogInsert(row(3n));
    expect(
      open()
        .secureLogRange("s", 0n, 9n)
        .map((r) => r.seqno),
    ).toEqual([1n, 2n, 3n]);
  });
});
