import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { componentWit, print, transpile } from "@bytecodealliance/jco";
import { describe, expect, test } from "vitest";
import { PlugError } from "../../compose/errors";
import { plug } from "../../compose/plug";
import { CASES_DIR, caseInputs, outline } from "./fixtures";

const BLESS = process.env.BLESS === "1";
const cases = readdirSync(CASES_DIR).sort();

/** Compare with a golden file, or rewrite it under BLESS=1. */
function golden(dir: string, file: string, actual: string | undefined): void {
  const path = join(dir, file);
  if (BLESS) {
    if (actual === undefined) rmSync(path, { force: true });
    else writeFileSync(path, actual.endsWith("\n") ? actual : `${actual}\n`);
    return;
  }
  if (actual === undefined) {
    expect(existsSync(path), `${file} should not exist`).toBe(false);
    return;
  }
  expect(existsSync(path), `${file} is missing; run BLESS=1 npx vitest run test/compose`).toBe(
    true,
  );
  expect(actual.trimEnd()).toBe(readFileSync(path, "utf8").trimEnd());
}

describe("plug golden cases", () => {
  test.each(cases)("%s", async (name) => {
    const dir = join(CASES_DIR, name);
    const { socket, plugs } = await caseInputs(dir);
    let result;
    try {
      result = plug(socket, plugs);
    } catch (err) {
      if (!(err instanceof PlugError)) throw err;
      golden(dir, "error.txt", `${err.code}: ${err.message}`);
      for (const f of ["expected.wit", "expected.wat", "warnings.txt"]) golden(dir, f, undefined);
      return;
    }
    golden(dir, "error.txt", undefined);
    golden(dir, "expected.wit", await componentWit(result.bytes));
    golden(dir, "expected.wat", outline(await print(result.bytes)));
    golden(dir, "warnings.txt", result.warnings.length ? result.warnings.join("\n") : undefined);
    // jco runs the full validator and rejects wrong wiring at transpile time.
    const { files } = await transpile(result.bytes, { name: "out" });
    expect(Object.keys(files)).toContain("out.js");
  });
});
