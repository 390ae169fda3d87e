// The verify progress bar's arithmetic (it is drawn only on a terminal).

import { describe, expect, it } from "vitest";
import { bar } from "../../cli/verify-stream";

describe("verify progress bar", () => {
  it("fills in proportion and shows the percentage", () => {
    expect(bar(0, 4)).toBe("[--------------------]   0%");
    expect(bar(1, 4)).toBe("[#####---------------]  25%");
    expect(bar(2, 3, 6)).toBe("[####--]  66%");
    expect(bar(0, 0)).toBe("[####################] 100%");
  });
});
