#!/usr/bin/env node
// Launcher: runs cli/main.ts through the project's tsx, from any directory.
// Signals sent to the launcher alone (kill PID, a supervisor's SIGTERM) are
// passed on, so `tail --follow` stops cleanly however it is stopped.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const child = spawn(
  process.execPath,
  [
    "--import",
    pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href,
    join(root, "cli", "main.ts"),
    ...process.argv.slice(2),
  ],
  { stdio: "inherit", env: process.env },
);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("error", (e) => {
  process.stderr.write(`secure-log: cannot start node: ${e.message}\n`);
  process.exit(3);
});
child.on("exit", (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
