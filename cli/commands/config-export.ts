// switchboard config export
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { foreignProfiles, managedBlock, profilesFor, unifiedDiff, withManagedBlock } from "../aws-config";
import { CliError, EXIT, usageError } from "../errors";
import type { Io } from "../io";
import { entriesOf } from "../role-match";
import { expandHome, parse, signedInApi } from "./shared";

export const CONFIG_USAGE = "switchboard config export [--dry-run] [--file <path>]";

export const CONFIG_HELP = `Usage: ${CONFIG_USAGE}

Writes one AWS CLI profile per role granted to you into the AWS config file, each getting its
credentials from this command (credential_process), so that any AWS tool can use them:

  aws s3 ls --profile production-admin

Only the lines between "# >>> switchboard (managed, do not edit) >>>" and
"# <<< switchboard <<<" are written; your other profiles stay as they are. The file as it was is
kept as <file>.switchboard-backup. Run it again after your grants change.

Options:
  --file     the config file (default: AWS_CONFIG_FILE, else ~/.aws/config)
  --dry-run  print what would change as a diff, write nothing
`;

export async function config(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "--help" || sub === "-h" || sub === undefined) return io.out(CONFIG_HELP), sub === undefined ? EXIT.usage : EXIT.ok;
  if (sub !== "export") throw usageError(`Unknown config command ${sub}. Usage: ${CONFIG_USAGE}`);
  const { values, positionals } = parse(rest, { file: { type: "string" }, "dry-run": { type: "boolean" } });
  if (values.help) return io.out(CONFIG_HELP), EXIT.ok;
  if (positionals.length) throw usageError(`Unexpected argument ${positionals[0]}. Usage: ${CONFIG_USAGE}`);
  const file = expandHome(values.file ?? io.env.AWS_CONFIG_FILE ?? "~/.aws/config", io);

  const entries = entriesOf(await signedInApi(io).menu());
  const existed = existsSync(file);
  const before = existed ? readFileSync(file, "utf8") : "";
  let after: string;
  let profiles: ReturnType<typeof profilesFor>;
  try {
    profiles = profilesFor(entries, foreignProfiles(before));
    after = withManagedBlock(before, managedBlock(profiles));
    if (values["dry-run"]) {
      const diff = unifiedDiff(before, after, existed ? file : "/dev/null", file);
      io.out(diff);
      io.err(diff ? `Dry run: ${profiles.length} profiles; nothing written.\n` : `No changes: the ${profiles.length} profiles in ${file} are up to date.\n`);
      return EXIT.ok;
    }
    if (after === before) return io.err(`No changes: the ${profiles.length} profiles in ${file} are up to date.\n`), EXIT.ok;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(EXIT.failure, (err as Error).message);
  }

  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const backup = `${file}.switchboard-backup`;
  if (existed) copyFileSync(file, backup);
  // Written beside it and renamed: a reader never sees half a file. Same mode as before.
  const mode = existed ? statSync(file).mode & 0o777 : 0o600;
  const temporary = `${file}.switchboard-${process.pid}.tmp`;
  writeFileSync(temporary, after, { mode });
  renameSync(temporary, file);
  io.err(`Wrote ${profiles.length} profiles to ${file}${existed ? ` (the file as it was: ${backup})` : ""}.\n`);
  if (!onPath("switchboard", io)) io.err("Note: switchboard is not on your PATH, and the AWS CLI runs it by that name; put it there (see switchboard --help).\n");
  const width = Math.max(0, ...profiles.map((p) => p.name.length));
  io.out(profiles.map((p) => `${p.name.padEnd(width)}  ${p.entry.path}\n`).join(""));
  return EXIT.ok;
}

function onPath(command: string, io: Io): boolean {
  const names = io.platform === "win32" ? [`${command}.cmd`, `${command}.exe`, command] : [command];
  return (io.env.PATH ?? "").split(delimiter).some((dir) => dir && names.some((name) => existsSync(join(dir, name))));
}
