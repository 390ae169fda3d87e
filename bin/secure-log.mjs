#!/usr/bin/env node
// Launcher: runs cli/main.ts through the project's tsx, from any directory.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const r = spawnSync(
  process.execPath,
  [
    "--import",
    pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href,
    join(root, "cli", "main.ts"),
    ...process.argv.slice(2),
  ],
  { stdio: "inherit", env: process.env },
);
process.exit(r.status ?? 3);
