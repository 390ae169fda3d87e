import { componentWit, transpile } from "@bytecodealliance/jco";
import { expect, test } from "vitest";
import { plug } from "../../compose/plug";
import { componentFromWit } from "./fixtures";

const wit = `package test:twice;
interface greet { greet: func(name: string) -> string; }
interface files { resource file { constructor(path: string); read: func(len: u32) -> list<u8>; } }
interface reader { use files.{file}; read-all: func(f: borrow<file>) -> list<u8>; }
world app { import files; import reader; export run: func(); }
world lib { import greet; export files; export reader; }
world greeter { export greet; }`;

// Stacks are built in steps, so a composed output must work as an input: its
// exported resources are defined two components deep and must keep their identity.
test("a composed component can be plugged again", async () => {
  const [app, lib, greeter] = await Promise.all(
    ["app", "lib", "greeter"].map(async (name) => ({
      name,
      bytes: await componentFromWit(wit, name),
    })),
  );
  const composedLib = plug(lib!, [greeter!]);
  const { bytes, warnings } = plug(app!, [{ name: "lib", bytes: composedLib.bytes }]);
  expect(warnings).toEqual([]);
  expect(await componentWit(bytes)).toMatch(/world root \{\n {2}export run: func\(\);\n\}/);
  expect(Object.keys((await transpile(bytes, { name: "out" })).files)).toContain("out.js");
});
