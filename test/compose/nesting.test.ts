import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readSections, SectionId } from "../../compose/binary/sections";
import { plug } from "../../compose/plug";
import { CASES_DIR, caseInputs } from "./fixtures";

describe("nesting", () => {
  test.each(["two-plugs", "chain", "shared-wasi-subsets"])(
    "%s: every input is a component section of the output, byte for byte",
    async (name) => {
      const { socket, plugs } = await caseInputs(join(CASES_DIR, name));
      const out = plug(socket, plugs).bytes;
      const nested = readSections(out, "output")
        .filter((s) => s.id === SectionId.component)
        .map((s) => Buffer.from(s.payload));
      expect(nested).toHaveLength(1 + plugs.length);
      for (const input of [socket, ...plugs]) {
        expect(nested.some((n) => n.equals(input.bytes))).toBe(true);
        expect(Buffer.from(out).indexOf(Buffer.from(input.bytes))).toBeGreaterThan(0);
      }
    },
  );
});
