// `secure-log`: the log as a command, running a composed stack through jco
// on a data directory. Parses the command line, runs one command, exits with
// 0 ok, 1 verification failed, 2 usage/input error, 3 store/keystore error.

import { pathToFileURL } from "node:url";
import { has, parseArgs } from "./args";
import { out, type Command } from "./command";
import { DEFAULT_DATA, globalsOf } from "./context";
import { append, head, init, read, tail } from "./entries";
import { exportBundle } from "./export";
import { EXIT, toCliError, usageError } from "./output";
import { publicKey } from "./public-key";
import { prove, seal, sign, verifyProof } from "./segments";
import { streams } from "./streams";
import { verify } from "./verify";
import { witness } from "./witness";

export const COMMANDS: readonly Command[] = [
  init,
  append,
  read,
  tail,
  head,
  streams,
  seal,
  prove,
  verifyProof,
  sign,
  verify,
  exportBundle,
  publicKey,
  witness,
];

const GLOBAL_HELP = [
  "global options:",
  "  --stack file|sqlite|remote  which composed stack runs the log (default sqlite; env SECURE_LOG_STACK);",
  "                              remote: an rpc-server's store (`npm run serve`), at SECURE_LOG_RPC_URL",
  "                              with SECURE_LOG_RPC_TOKEN",
  `  --data DIR                  the data directory (default ${DEFAULT_DATA}; env SECURE_LOG_DATA);`,
  "                              one command at a time: another waits up to 10 s for its lock",
  "                              (env SECURE_LOG_LOCK_TIMEOUT_MS)",
  "  --json                      machine-readable output",
  "  -h, --help                  help for the command",
];

function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "secure-log: a tamper-evident audit log (WASI P2 components run through jco)",
    "",
    "usage: secure-log [--stack file|sqlite|remote] [--data DIR] [--json] COMMAND [ARGS]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    "",
    ...GLOBAL_HELP,
    "",
    "exit codes: 0 ok, 1 verification failed, 2 usage or input error, 3 store or keystore error",
    "",
    "examples:",
    "  secure-log init --data ./audit",
    "  echo 'user alice logged in' | secure-log --data ./audit append - --event-type auth.login",
    "  secure-log --data ./audit verify",
    "",
    "`secure-log COMMAND --help` shows a command's options and examples.",
  ].join("\n");
}

function commandHelp(c: Command): string {
  return [
    `${c.name}: ${c.summary}`,
    "",
    `usage: ${c.usage}`,
    ...(c.options ? ["", "options:", ...c.options.map((o) => `  ${o}`)] : []),
    "",
    ...GLOBAL_HELP,
    "",
    "examples:",
    ...c.examples.map((e) => `  ${e}`),
  ].join("\n");
}

/** Finds the command word: the first argument that is not a global option or its value. */
function splitCommand(argv: readonly string[]): { name?: string; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--stack" || a === "--data") {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    return { name: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { rest: [...argv] };
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const { name, rest } = splitCommand(argv);
    if (name === undefined || name === "help") {
      if (name === undefined && !rest.some((a) => a === "--help" || a === "-h")) {
        process.stderr.write(`${mainHelp()}\n`);
        return EXIT.usage;
      }
      out(mainHelp());
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) {
      throw usageError(`unknown command '${name}'; \`secure-log --help\` lists the commands`);
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      out(commandHelp(command));
      return EXIT.ok;
    }
    const parsed = parseArgs(rest, command.flags);
    if (has(parsed, "help")) {
      out(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(parsed, globalsOf(command.name, parsed));
  } catch (e) {
    const err = toCliError(e);
    process.stderr.write(`secure-log: ${err.message}\n`);
    return err.exitCode;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`secure-log: ${String(e)}\n`);
      process.exit(EXIT.store);
    },
  );
}
