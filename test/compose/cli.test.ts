import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentWit } from "@bytecodealliance/jco";
import { describe, expect, test } from "vitest";
import { main } from "../../compose/cli";
import { CASES_DIR, caseInputs } from "./fixtures";

async function run(argv: string[]) {
  const err: string[] = [];
  const code = await main(argv, { stdout: () => {}, stderr: (s) => err.push(s) });
  return { code, stderr: err.join("") };
}

describe("cli", () => {
  test("socket --plug a --plug b -o out, with warnings on stderr", async () => {
    const dir = mkdtempSync(join(tmpdir(), "compose-cli-"));
    const { socket, plugs } = await caseInputs(join(CASES_DIR, "unused-plug"));
    writeFileSync(join(dir, "socket.wasm"), socket.bytes);
    for (const p of plugs) writeFileSync(join(dir, `${p.name}.wasm`), p.bytes);
    const out = join(dir, "out.wasm");
    const args = [
      join(dir, "socket.wasm"),
      ...plugs.flatMap((p) => ["--plug", join(dir, `${p.name}.wasm`)]),
    ];
    const { code, stderr } = await run([...args, "-o", out]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^warning: plug plug-unrelated satisfies no import/);
    expect(await componentWit(readFileSync(out))).toBe(
      readFileSync(join(CASES_DIR, "unused-plug", "expected.wit"), "utf8").trimEnd() + "\n",
    );
  });

  test("errors are reported with their code and exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "compose-cli-"));
    const { socket, plugs } = await caseInputs(join(CASES_DIR, "cycle"));
    writeFileSync(join(dir, "socket.wasm"), socket.bytes);
    const args = [join(dir, "socket.wasm")];
    for (const p of plugs) {
      writeFileSync(join(dir, `${p.name}.wasm`), p.bytes);
      args.push(`--plug=${join(dir, `${p.name}.wasm`)}`);
    }
    const { code, stderr } = await run([...args, "-o", join(dir, "out.wasm")]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error\[cycle\]: /);
  });

  test("usage errors and unreadable files", async () => {
    expect((await run(["only-socket.wasm"])).stderr).toMatch(/^error\[io\]: usage:/);
    expect((await run(["missing.wasm", "--plug", "p.wasm", "-o", "x"])).stderr).toMatch(
      /failed to read socket component `missing.wasm`/,
    );
  });
});
