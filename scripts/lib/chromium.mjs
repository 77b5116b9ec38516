// Finds a Chromium for the end-to-end tests: PLAYWRIGHT_CHROMIUM_PATH, else Debian's
// /usr/bin/chromium, else Playwright's own browser if one is installed; on Debian as root with
// none of these, installs Debian's `chromium` package. Playwright's browser download is not
// used: it needs hosts outside the package registries.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

function playwrightsOwn(root) {
  try {
    const result = spawnSync(process.execPath, ["-e", "console.log(require('playwright-core').chromium.executablePath())"], { cwd: root, encoding: "utf8" });
    const path = result.stdout.trim();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const isDebian = () => existsSync("/etc/debian_version") || (existsSync("/etc/os-release") && /ID(_LIKE)?=.*debian/.test(readFileSync("/etc/os-release", "utf8")));

export function findChromium(root, log = console.log) {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`PLAYWRIGHT_CHROMIUM_PATH is ${fromEnv}, which does not exist.`);
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const own = playwrightsOwn(root);
  if (own) return own;
  if (isDebian() && process.getuid?.() === 0) {
    log("No Chromium found: installing Debian's chromium package (apt-get) …");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    const install = update.status === 0 ? spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env }) : update;
    if (install.status === 0 && existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
    throw new Error("Installing Debian's chromium package failed; see the apt-get output above.");
  }
  throw new Error(
    "No Chromium for the end-to-end tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) or set PLAYWRIGHT_CHROMIUM_PATH to a Chromium or Chrome executable.",
  );
}
