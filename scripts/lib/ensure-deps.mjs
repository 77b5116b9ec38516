// Installs the npm dependencies when they are missing or older than package-lock.json, so that
// `npm test` and `npm run demo` work on a fresh clone with no other step. Node builtins only:
// this runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

export function ensureDependencies(root, log = console.log) {
  const marker = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return;
  // `npm install`, not `npm ci`: both follow package-lock.json, but `npm ci` also insists that
  // every platform's optional native package (Next.js's SWC, Tailwind's oxide, …) be in the
  // lockfile, and registry mirrors that carry only this platform's binaries make that
  // impossible. `npm install` installs the locked versions and skips the unreachable ones.
  log("Installing dependencies (npm install) …");
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    throw new Error(`npm install failed (exit ${result.status}); see the output above.`);
  }
}
