import { describe, expect, test } from "vitest";
import { areCompatible, compatKey, newest } from "../../compose/semver";

describe("semver-compatible names", () => {
  test.each([
    ["wasi:io/streams@0.2.0", "wasi:io/streams@0.2.3", true],
    ["wasi:io/streams@0.2.0", "wasi:io/streams@0.3.0", false],
    ["a:b/c@1.0.0", "a:b/c@1.9.2", true],
    ["a:b/c@1.0.0", "a:b/c@2.0.0", false],
    ["a:b/c@0.0.1", "a:b/c@0.0.2", false],
    ["a:b/c@1.0.0-rc.1", "a:b/c@1.0.0", false],
    ["a:b/c", "a:b/c", true],
    ["a:b/c", "a:b/d", false],
    ["wasi:io/streams@0.2.0", "wasi:io/error@0.2.0", false],
  ])("%s ~ %s: %s", (a, b, expected) => {
    expect(areCompatible(a, b)).toBe(expected);
  });

  test("keys", () => {
    expect(compatKey("wasi:io/streams@0.2.12")).toBe("wasi:io/streams@0.2");
    expect(compatKey("a:b/c@3.1.4")).toBe("a:b/c@3");
    expect(compatKey("run")).toBe("run");
  });

  test("newest compares numerically, not as text", () => {
    expect(
      newest(["wasi:io/streams@0.2.3", "wasi:io/streams@0.2.12", "wasi:io/streams@0.2.0"]),
    ).toBe("wasi:io/streams@0.2.12");
  });
});
