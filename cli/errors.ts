// The command line's one error type and its exit codes. Scripts (and the AWS CLI, which runs
// `switchboard credentials --format credential-process`) tell failures apart by the code, so each
// kind of failure has its own, listed in `switchboard --help`.

export const EXIT = {
  ok: 0,
  /** Anything else: a bug, a refusal the console gave no specific code for. */
  failure: 1,
  /** Wrong arguments or options. */
  usage: 2,
  /** No console or token stored: run `switchboard login`. */
  notSignedIn: 3,
  /** The console refused the token: expired, revoked, unknown, or its owner disabled. */
  tokenRefused: 4,
  /** The role is not granted to you, or the token's scope does not allow it. */
  notGranted: 5,
  /** AWS refused the switch or failed (the console's explanation is printed). */
  awsRefused: 6,
  /** The console could not be reached, or did not answer like a Switchboard console. */
  unreachable: 7,
  /** No role matches what was given, or several do. */
  roleNotFound: 8,
  /** Device sign-in: the person denied it in the console. */
  deviceDenied: 9,
  /** `request --wait`: an approver denied the access request (the same code as a denied sign-in). */
  requestDenied: 9,
  /** Device sign-in: the code expired before anyone approved it. */
  deviceExpired: 10,
  /** Stopped with Ctrl+C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the person can act on: the message is printed as it is, then the process exits
 * with the code. Messages never carry a credential or the token. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, `${message}\nRun switchboard --help for usage.`);
