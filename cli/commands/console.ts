// switchboard console <role>
import { spawn } from "node:child_process";
import { CliError, EXIT } from "../errors";
import type { Io } from "../io";
import { isEntryId, resolveEntry } from "../role-match";
import { onePositional, parse, signedInApi } from "./shared";

export const CONSOLE_USAGE = "switchboard console <role> [--region <region>] [--service <service>] [--print]";

export const CONSOLE_HELP = `Usage: ${CONSOLE_USAGE}

Signs in to the AWS console as the role, in your browser.

Options:
  --region   a region other than the role's own
  --service  the console page to land on, e.g. ec2, s3, cloudformation
  --print    print the sign-in URL instead of opening it (it signs anyone in who has it, for
             15 minutes: do not paste it anywhere shared)
`;

export async function consoleCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { region: { type: "string" }, service: { type: "string" }, print: { type: "boolean" } });
  if (values.help) return io.out(CONSOLE_HELP), EXIT.ok;
  const wanted = onePositional(positionals, "the role", CONSOLE_USAGE);
  const api = signedInApi(io);
  const roleId = isEntryId(wanted) ? wanted : resolveEntry(await api.menu(), wanted).id;
  const session = await api.console({ roleId, region: values.region, service: values.service });
  if (values.print) return io.out(`${session.consoleUrl}\n`), EXIT.ok;
  await openInBrowser(session.consoleUrl, io);
  io.err(`Opened the AWS console as ${session.accountName}/${session.roleLabel} (${session.region}) in your browser; the session lasts until ${session.expiresAt}.\n`);
  return EXIT.ok;
}

/** $BROWSER, else the platform's opener. The URL goes as one argument, never through a shell
 * (`start` in cmd would split it at every &). */
function opener(io: Io): [string, string[]] {
  if (io.env.BROWSER) return [io.env.BROWSER, []];
  if (io.platform === "darwin") return ["open", []];
  if (io.platform === "win32") return ["rundll32", ["url.dll,FileProtocolHandler"]];
  return ["xdg-open", []];
}

async function openInBrowser(url: string, io: Io): Promise<void> {
  const [command, args] = opener(io);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, [...args, url], { stdio: "ignore", detached: true });
    child.once("error", () => reject(new CliError(EXIT.failure, `Could not start ${command} to open a browser. Run this again with --print and open the URL yourself.`)));
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
}
