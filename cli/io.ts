// What a command may touch of the outside world, passed in so that the commands run in tests
// without a process of their own.

/** Environment variables (not NodeJS.ProcessEnv: Next.js's types make NODE_ENV required there). */
export type Env = Record<string, string | undefined>;

export type Io = {
  /** The results: what a script or a shell's eval reads. */
  out: (text: string) => void;
  /** Messages for the person. Never a credential. */
  err: (text: string) => void;
  /** Whether stdout is a terminal (tables get a header line there, not in pipes). */
  stdoutIsTTY: boolean;
  env: Env;
  /** Standard input when it is not a terminal (a piped token), else null. */
  readStdin: () => Promise<string | null>;
  fetch: typeof fetch;
  platform: NodeJS.Platform;
  homedir: string;
};
