// switchboard credentials <role> [--format …] / switchboard exec <role> -- <command…>
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { renderCredentials, type CredentialFormatId } from "@/lib/aws/credential-formats";
import type { Api, CredentialsSession } from "../api";
import { CliError, EXIT, usageError } from "../errors";
import type { Env, Io } from "../io";
import { isEntryId, resolveEntry } from "../role-match";
import { onePositional, parse, parseDuration, signedInApi } from "./shared";

const FORMATS: Record<string, CredentialFormatId | "json"> = {
  env: "bash",
  fish: "fish",
  powershell: "powershell",
  json: "json",
  "credential-process": "credential_process",
  dotenv: "dotenv",
};

export const CREDENTIALS_USAGE = "switchboard credentials <role> [--format env|fish|powershell|json|credential-process|dotenv] [--region <region>] [--duration <time>]";

export const CREDENTIALS_HELP = `Usage: ${CREDENTIALS_USAGE}

Temporary AWS credentials for one of your roles, printed on standard output only.

  eval "$(switchboard credentials prod/admin)"             bash, zsh
  switchboard credentials prod/admin --format fish | source

<role> is an entry id, account/role as switchboard roles shows it, or words that match one role.

Options:
  --format    env (bash/zsh export, the default), fish, powershell, json, dotenv, or
              credential-process (the JSON the AWS CLI's credential_process reads)
  --region    a region other than the role's own
  --duration  how long: seconds (3600), minutes or hours (90m, 12h); at most what the role allows
`;

/** The role named by `wanted`, then a switch for credentials. */
async function fetchCredentials(api: Api, wanted: string, options: { region?: string; durationSeconds?: number }): Promise<CredentialsSession> {
  const roleId = isEntryId(wanted) ? wanted : resolveEntry(await api.menu(), wanted).id;
  return api.credentials({ roleId, ...options });
}

const credentialOptions = {
  region: { type: "string" },
  duration: { type: "string" },
} as const;

export async function credentials(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...credentialOptions, format: { type: "string", short: "f" } });
  if (values.help) return io.out(CREDENTIALS_HELP), EXIT.ok;
  const wanted = onePositional(positionals, "the role", CREDENTIALS_USAGE);
  const format = FORMATS[values.format ?? "env"];
  if (!format) throw usageError(`--format ${values.format}: use one of ${Object.keys(FORMATS).join(", ")}.`);
  const api = signedInApi(io);
  const session = await fetchCredentials(api, wanted, { region: values.region, durationSeconds: parseDuration(values.duration) });
  if (format === "json") {
    const { credentials: c, region, profileName, sessionName, roleArn, assumedRoleArn, durationSeconds } = session;
    io.out(`${JSON.stringify({ ...c, region, profileName, sessionName, roleArn, assumedRoleArn, durationSeconds }, null, 2)}\n`);
  } else {
    io.out(
      renderCredentials(format, {
        credentials: session.credentials,
        region: session.region,
        profileName: session.profileName,
        roleArn: session.roleArn,
        sessionName: session.sessionName,
        // Only the "config" format names a source profile, and it is not offered here.
        sourceProfile: "default",
        durationSeconds: session.durationSeconds,
      }),
    );
  }
  return EXIT.ok;
}

export const EXEC_USAGE = "switchboard exec <role> [--region <region>] [--duration <time>] -- <command> [args…]";

export const EXEC_HELP = `Usage: ${EXEC_USAGE}

Runs the command with temporary credentials for the role in its environment
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION,
AWS_CREDENTIAL_EXPIRATION), like aws-vault exec, and exits with the command's exit code.

  switchboard exec prod/admin -- aws s3 ls
  switchboard exec prod/admin -- terraform plan
`;

/** Variables that would make an SDK pick another identity than the one given. */
const CLEARED = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME"];

export async function exec(args: string[], io: Io): Promise<number> {
  const dashes = args.indexOf("--");
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const command = dashes < 0 ? [] : args.slice(dashes + 1);
  const { values, positionals } = parse(own, credentialOptions);
  if (values.help) return io.out(EXEC_HELP), EXIT.ok;
  const wanted = onePositional(positionals, "the role", EXEC_USAGE);
  if (command.length === 0) throw usageError(`Missing the command to run after --. Usage: ${EXEC_USAGE}`);
  const session = await fetchCredentials(signedInApi(io), wanted, { region: values.region, durationSeconds: parseDuration(values.duration) });
  const env: Env = { ...io.env };
  for (const name of CLEARED) delete env[name];
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: session.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: session.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: session.credentials.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: session.credentials.expiration,
    AWS_REGION: session.region,
    AWS_DEFAULT_REGION: session.region,
    SWITCHBOARD_ROLE: `${session.accountName}/${session.roleLabel}`,
  });
  return runChild(command, env);
}

/** The child's exit code; 128 + the signal's number when a signal ended it, as shells report. */
function runChild(command: string[], env: Env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: "inherit", env: env as NodeJS.ProcessEnv });
    // Ctrl-C reaches the child from the terminal; this process waits for it to finish instead
    // of dying first. Other signals sent to this process are passed on.
    const forward = (signal: NodeJS.Signals) => () => {
      if (signal !== "SIGINT") child.kill(signal);
    };
    const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const done = () => handlers.forEach(([signal, handler]) => process.off(signal, handler));
    child.on("error", (err: NodeJS.ErrnoException) => {
      done();
      if (err.code === "ENOENT") reject(new CliError(127, `${command[0]}: command not found.`));
      else reject(new CliError(EXIT.failure, `Could not run ${command[0]}: ${err.message}`));
    });
    child.on("exit", (code, signal) => {
      done();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 1));
    });
  });
}
