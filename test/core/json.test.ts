import { describe, expect, it } from "vitest";
import { JsonFields, jsonString, parseJson } from "../../src/core/json";
import { SecureLogError } from "../../src/core/errors";

function invalid(text: string): string {
  try {
    parseJson(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SecureLogError);
    const p = (e as SecureLogError).payload;
    expect(p.tag).toBe("invalid");
    return (p as { val: string }).val;
  }
  throw new Error(`parsed: ${text}`);
}

describe("parseJson", () => {
  it("parses every value kind, integers as bigint", () => {
    expect(parseJson(' { "a" : [1, -2, 0, true, false, null, "x"], "b": {} } ')).toEqual({
      a: [1n, -2n, 0n, true, false, null, "x"],
      b: {},
    });
    expect(parseJson("[]")).toEqual([]);
    expect(parseJson('"s"')).toBe("s");
  });

  it("keeps u64 values exact above 2^53", () => {
    expect(parseJson("18446744073709551615")).toBe(18446744073709551615n);
    expect(parseJson("[9007199254740993]")).toEqual([9007199254740993n]);
  });

  it("decodes escapes, surrogate pairs and raw UTF-8", () => {
    expect(parseJson(String.raw`"\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \ud83d\ude00"`)).toBe(
      '" \\ / \b \f \n \r \t A é 😀',
    );
    expect(parseJson('"héllo ✓"')).toBe("héllo ✓");
  });

  it("treats __proto__ as an ordinary key", () => {
    const v = parseJson('{"__proto__": 1}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(v["__proto__"]).toBe(1n);
  });

  it("refuses fractions and exponents with a clear message", () => {
    expect(invalid("1.5")).toBe(
      "malformed JSON at position 1: fractional numbers are not supported (integers only)",
    );
    expect(invalid("[1e3]")).toBe(
      "malformed JSON at position 2: numbers with an exponent are not supported (integers only)",
    );
    expect(invalid("2E-1")).toMatch(/exponent/);
  });

  it("reports the position of malformed input", () => {
    expect(invalid("")).toBe("malformed JSON at position 0: unexpected end of input");
    expect(invalid('{"a" 1}')).toBe("malformed JSON at position 5: expected ':'");
    expect(invalid("[1,]")).toBe('malformed JSON at position 3: unexpected character "]"');
    expect(invalid("[1 2]")).toBe("malformed JSON at position 3: expected ',' or ']'");
    expect(invalid('{"a":1,}')).toBe("malformed JSON at position 7: expected a string key");
    expect(invalid("{} x")).toBe(
      "malformed JSON at position 3: trailing characters after the value",
    );
    expect(invalid('"abc')).toBe("malformed JSON at position 0: unterminated string");
  });

  it("refuses what RFC 8259 forbids", () => {
    expect(invalid("01")).toMatch(/leading zero/);
    expect(invalid("-")).toMatch(/expected a digit/);
    expect(invalid("+1")).toMatch(/unexpected character/);
    expect(invalid("tru")).toMatch(/expected 'true'/);
    expect(invalid("NaN")).toMatch(/unexpected character/);
    expect(invalid('"a\nb"')).toMatch(/control character/);
    expect(invalid(String.raw`"\x"`)).toMatch(/invalid escape/);
    expect(invalid(String.raw`"\u12g4"`)).toMatch(/4 hex digits/);
    expect(invalid(String.raw`"\ud800"`)).toMatch(/lone leading surrogate/);
    expect(invalid(String.raw`"\udc00"`)).toMatch(/lone trailing surrogate/);
    expect(invalid("\ufeff{}")).toMatch(/position 0/);
    expect(invalid("{'a':1}")).toMatch(/expected a string key/);
    expect(invalid('{"a":1,"a":2}')).toBe('malformed JSON at position 7: duplicate key "a"');
  });

  it("limits nesting depth", () => {
    expect(parseJson("[".repeat(128) + "]".repeat(128))).toBeDefined();
    expect(invalid("[".repeat(129) + "]".repeat(129))).toMatch(/nesting too deep/);
  });
});

describe("jsonString", () => {
  it("escapes as serde_json does", () => {
    expect(jsonString('a"b\\c/d')).toBe('"a\\"b\\\\c/d"');
    expect(jsonString("\b\f\n\r\t\u0000\u001f\u007f")).toBe(
      '"\\b\\f\\n\\r\\t\\u0000\\u001f\u007f"',
    );
    expect(jsonString("é ✓ 😀 \u2028")).toBe('"é ✓ 😀 \u2028"');
  });

  it("round-trips through parseJson", () => {
    const s = 'x"\\\n\u0001 ü 😀';
    expect(parseJson(jsonString(s))).toBe(s);
    expect(jsonString(s)).toBe(JSON.stringify(s));
  });
});

describe("JsonFields", () => {
  const fail = (m: string) => new Error(m);
  const f = JsonFields.of(
    parseJson('{"s":"x","n":5,"b":true,"z":null,"big":18446744073709551616,"neg":-1}'),
    "rec",
    fail,
  );

  it("reads typed fields", () => {
    expect(f.string("s")).toBe("x");
    expect(f.u64("n")).toBe(5n);
    expect(f.u32("n")).toBe(5);
    expect(f.bool("b")).toBe(true);
    expect(f.optionalString("z")).toBeNull();
    expect(f.optionalString("absent")).toBeNull();
  });

  it("names the field in errors", () => {
    expect(() => f.string("n")).toThrow("rec.n: expected string, got integer");
    expect(() => f.u64("s")).toThrow("rec.s: expected u64, got string");
    expect(() => f.u64("missing")).toThrow("rec.missing: missing field");
    expect(() => f.u64("big")).toThrow("rec.big: 18446744073709551616 is out of range for u64");
    expect(() => f.u64("neg")).toThrow("rec.neg: -1 is out of range for u64");
    expect(() => f.bool("z")).toThrow("rec.z: expected boolean, got null");
    expect(() => JsonFields.of([], "", fail)).toThrow("value: expected object, got array");
  });
});
