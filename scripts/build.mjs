#!/usr/bin/env node
// `npm run build`: the production build, plus a hash of its sources so `npm run demo` can tell
// whether the build on disk is current.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDependencies } from "./lib/ensure-deps.mjs";
import { BUILD_HASH_FILE, sourceHash } from "./lib/stack.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
ensureDependencies(root);
// The command line first: its bundle is in public/, which the console serves as it was at build time.
const cli = spawnSync(process.execPath, [join(root, "scripts", "build-cli.mjs")], { cwd: root, stdio: "inherit" });
if (cli.status !== 0) process.exit(cli.status ?? 1);
const hash = sourceHash(root);
const result = spawnSync(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(join(root, BUILD_HASH_FILE), hash);
