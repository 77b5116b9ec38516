import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { migrateState } from "./seed";
import type { SandboxState } from "./state";

/** Writes a file so that a crash leaves either the old or the new content, never a torn file:
 * temp file in the same directory, fsync, rename, fsync the directory. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dirFd = openSync(dirname(path), "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  }
}

/** Holds the state in memory and persists it. Writes are coalesced: many mutations within
 * `delayMs` become one atomic write, and `flush()` writes at once (on shutdown). */
export class StateStore {
  state: SandboxState;
  private readonly path: string;
  private readonly delayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly prune: (state: SandboxState) => void;

  constructor(path: string, state: SandboxState, opts: { delayMs?: number; prune?: (state: SandboxState) => void } = {}) {
    this.path = path;
    this.state = state;
    this.delayMs = opts.delayMs ?? 100;
    this.prune = opts.prune ?? (() => {});
  }

  static read(path: string): SandboxState | undefined {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    const saved = JSON.parse(text) as { version?: unknown } & Record<string, unknown>;
    // An older version is brought up to date (and written back on the next flush).
    const state = migrateState(saved);
    if (!state) throw new Error(`${path}: unsupported state version ${String(saved.version)}; start with --reset`);
    return state;
  }

  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.prune(this.state);
    writeFileAtomic(this.path, JSON.stringify(this.state));
  }

  replace(state: SandboxState): void {
    this.state = state;
    this.flush();
  }
}
