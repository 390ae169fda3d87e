// streams list | create NAME --tier T [--description D] | deprecate NAME

import { TIERS } from "../src/core/model";
import { flag, positionals } from "./args";
import type { Command } from "./command";
import { out } from "./command";
import { openLog } from "./context";
import { table, toJson, usageError } from "./output";

export const streams: Command = {
  name: "streams",
  summary: "list, create or deprecate streams",
  usage: "secure-log streams list | create NAME --tier T [--description D] | deprecate NAME",
  options: [
    `--tier T           ${TIERS.join(", ")}`,
    "--description D    free text shown in `streams list`",
  ],
  examples: [
    "secure-log streams list",
    "secure-log streams create audit --tier protected --description 'admin actions'",
    "secure-log streams deprecate audit",
  ],
  flags: { tier: { value: true }, description: { value: true } },
  async run(p, g) {
    const sub = p.positionals[0];
    const rest = { ...p, positionals: p.positionals.slice(1) };
    if (sub === "list") {
      positionals(rest, []);
      const { api } = await openLog(g);
      const list = await api.listStreams();
      const rows = await Promise.all(
        list.map(async (s) => ({ ...s, head: (await api.head(s.name)) ?? null })),
      );
      if (g.json) out(toJson(rows));
      else if (rows.length === 0)
        out("no streams; create one with `secure-log streams create NAME --tier public`");
      else
        out(
          table(
            ["NAME", "TIER", "HEAD", "DEPRECATED", "DESCRIPTION"],
            rows.map((s) => [
              s.name,
              s.tier,
              s.head === null ? "-" : String(s.head),
              s.deprecatedAt === undefined
                ? "-"
                : new Date(Number(s.deprecatedAt) * 1000).toISOString(),
              s.description ?? "",
            ]),
          ),
        );
      return 0;
    }
    if (sub === "create") {
      const [name] = positionals(rest, ["NAME"]);
      const tier = flag(p, "tier");
      if (tier === undefined) throw usageError(`streams create needs --tier (${TIERS.join(", ")})`);
      if (!(TIERS as readonly string[]).includes(tier)) {
        throw usageError(`unknown tier '${tier}'; valid tiers: ${TIERS.join(", ")}`);
      }
      const { api } = await openLog(g);
      await api.createStream(name!, tier, flag(p, "description"));
      out(g.json ? toJson({ created: name, tier }) : `created stream '${name}' (${tier})`);
      return 0;
    }
    if (sub === "deprecate") {
      const [name] = positionals(rest, ["NAME"]);
      const { api } = await openLog(g);
      await api.deprecateStream(name!);
      out(g.json ? toJson({ deprecated: name }) : `deprecated stream '${name}'`);
      return 0;
    }
    throw usageError(
      sub === undefined
        ? "streams needs a subcommand: list, create or deprecate"
        : `unknown subcommand 'streams ${sub}'; use list, create or deprecate`,
    );
  },
};
