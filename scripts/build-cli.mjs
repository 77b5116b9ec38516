#!/usr/bin/env node
// Bundles the command line (cli/main.ts and the shared lib/ and components/ modules it uses) into
// one dependency-free file, public/cli/switchboard.mjs, which the console serves for download:
//   curl -fsSLo ~/.local/bin/switchboard <console>/cli/switchboard.mjs && chmod +x ~/.local/bin/switchboard
// esbuild resolves the tsconfig's "@/…" paths itself.
import { chmodSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "public", "cli", "switchboard.mjs");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

mkdirSync(dirname(outfile), { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ["cli/main.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  tsconfig: "tsconfig.json",
  banner: { js: `#!/usr/bin/env node\n// switchboard ${version}: built from cli/ by scripts/build-cli.mjs. Do not edit.` },
  define: { SWITCHBOARD_CLI_ENTRY: "true" },
  // Only node: built-ins outside the bundle; anything else imported would be a mistake.
  packages: "bundle",
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs);
const strays = inputs.filter((p) => p.includes("node_modules/"));
if (strays.length) {
  console.error(`build-cli: the command line must not bundle packages, found: ${strays.join(", ")}`);
  process.exit(1);
}
chmodSync(outfile, 0o755);
const bytes = result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes;
console.log(`build-cli: ${outfile} (${(bytes / 1024).toFixed(1)} KiB from ${inputs.length} modules)`);
