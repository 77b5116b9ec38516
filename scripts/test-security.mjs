#!/usr/bin/env node
// `npm run test:security`: the adversarial suite (e2e/security) with
// its full counts (SWITCHBOARD_SECURITY_FULL=1: 10,000 fuzz inputs per endpoint, every redirect
// vector in the browser, 10,000 nonces, …). `npm test` runs the same specs with small counts.
// Builds first if the build on disk is stale, then prints each spec's figures and ends with one
// line `N passed, N failed`. Extra arguments go to Playwright (e.g. one spec file, or --grep).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium } from "./lib/chromium.mjs";
import { ensureDependencies } from "./lib/ensure-deps.mjs";
import { buildIsFresh } from "./lib/stack.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);

function fail(message) {
  console.error(message);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

try {
  ensureDependencies(root);
} catch (err) {
  fail(err.message);
}

if (!buildIsFresh(root)) {
  console.log("── Production build (the build on disk is missing or stale) ──");
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) fail("The production build failed; the security suite needs it.");
}

let chromium;
try {
  chromium = findChromium(root);
} catch (err) {
  fail(err.message);
}

const dir = mkdtempSync(join(tmpdir(), "switchboard-security-"));
const report = join(dir, "report.json");
const targets = args.some((a) => !a.startsWith("-")) ? args : ["e2e/security", ...args];
console.log(`── Adversarial suite, full counts (Chromium: ${chromium}) ──`);
const started = Date.now();
const run = spawnSync("npx", ["playwright", "test", ...targets], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, SWITCHBOARD_SECURITY_FULL: "1", PLAYWRIGHT_CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
});

/** Every test of the JSON report, with its outcome and what it printed. */
function tests(suite, file = suite.file) {
  const own = (suite.specs ?? []).flatMap((spec) =>
    spec.tests.map((t) => ({
      file: spec.file ?? file,
      title: spec.title,
      status: t.status,
      printed: t.results.flatMap((r) => r.stdout ?? []).map((o) => o.text ?? "").join(""),
    })),
  );
  return [...own, ...(suite.suites ?? []).flatMap((s) => tests(s, s.file ?? file))];
}

let summary;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  const all = json.suites.flatMap((s) => tests(s));
  console.log(`\n── Figures (${Math.round((Date.now() - started) / 1000)} s) ──`);
  for (const t of all) {
    const mark = t.status === "expected" ? "✓" : t.status === "skipped" ? "-" : "✘";
    console.log(`${mark} e2e/${t.file.replace(/^.*e2e\//, "")} › ${t.title}`);
    for (const line of t.printed.split("\n").filter((l) => l.trim())) console.log(`    ${line}`);
  }
  const { expected, unexpected, flaky, skipped } = json.stats;
  summary = { passed: expected, failed: unexpected + flaky + (run.status !== 0 && unexpected + flaky === 0 ? 1 : 0), skipped };
} catch {
  summary = { passed: 0, failed: 1, skipped: 0 };
  console.error("No Playwright report: the run itself failed (see above).");
}
rmSync(dir, { recursive: true, force: true });
console.log(`${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ""}`);
process.exit(summary.failed ? 1 : 0);
