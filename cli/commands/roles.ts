// switchboard roles [query]
import { CliError, EXIT } from "../errors";
import type { Io } from "../io";
import { formatTable, listEntries } from "../role-match";
import { parse, signedInApi } from "./shared";

export const ROLES_HELP = `Usage: switchboard roles [query] [--json]

Your roles, matched like the console's Switch Role menu (words in any order, typos forgiven):
entry id, account/role, account id, region. Without a query: pinned and recent first.
Any of the first two columns names the role in the other commands.

Options:
  --json   one JSON array, for scripts
`;

export async function roles(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "boolean" } });
  if (values.help) return io.out(ROLES_HELP), EXIT.ok;
  const query = positionals.join(" ");
  const menu = await signedInApi(io).menu();
  const entries = listEntries(menu, query);
  if (values.json) return io.out(`${JSON.stringify(entries, null, 2)}\n`), EXIT.ok;
  if (entries.length === 0) {
    throw new CliError(EXIT.roleNotFound, query ? `No role of yours matches "${query}".` : "You have no roles in Switchboard yet. Ask an administrator for a grant.");
  }
  io.out(`${formatTable(entries, io.stdoutIsTTY).join("\n")}\n`);
  return EXIT.ok;
}
