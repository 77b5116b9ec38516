#!/usr/bin/env node
// `npm test`: everything CI runs, in order, ending with one line `N passed, N failed[, N skipped]`.
// Installs missing dependencies first, so it works on a clean clone with no other step.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium } from "./lib/chromium.mjs";
import { ensureDependencies } from "./lib/ensure-deps.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(name, command, args, env = {}) {
  console.log(`\n── ${name} ──`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return result.status === 0;
}

/** A step that is one check: it passes or fails as a whole. */
function check(name, command, args) {
  if (run(name, command, args)) totals.passed++;
  else {
    totals.failed++;
    failures.push(name);
  }
}

/** Vitest, counting its test cases from the JSON report. */
function vitest(name, args) {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-vitest-"));
  const report = join(dir, "report.json");
  const ok = run(name, "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args]);
  count(name, ok, () => {
    const json = JSON.parse(readFileSync(report, "utf8"));
    return { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests };
  });
  rmSync(dir, { recursive: true, force: true });
}

/** Playwright in real Chromium, counting its tests from the JSON report. */
function playwright(name, chromium) {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-playwright-"));
  const report = join(dir, "report.json");
  const ok = run(name, "npx", ["playwright", "test"], { PLAYWRIGHT_CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  count(name, ok, () => {
    const stats = JSON.parse(readFileSync(report, "utf8")).stats;
    return { passed: stats.expected, failed: stats.unexpected + stats.flaky, skipped: stats.skipped };
  });
  rmSync(dir, { recursive: true, force: true });
}

function count(name, ok, read) {
  try {
    const { passed, failed, skipped } = read();
    totals.passed += passed;
    totals.failed += failed;
    totals.skipped += skipped;
    if (!ok && failed === 0) {
      totals.failed++;
      failures.push(`${name} (the run itself failed)`);
    } else if (failed) failures.push(`${name} (${failed} failing)`);
  } catch {
    totals.failed++;
    failures.push(`${name} (no report)`);
  }
}

try {
  ensureDependencies(root);
} catch (err) {
  console.error(err.message);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

check("Lint (ESLint, Next.js rules)", "npx", ["eslint", "--max-warnings=0", "."]);
check("Typecheck (tsc --noEmit)", "npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
vitest("Unit and integration tests (Vitest)", []);
const built = run("Production build (next build)", process.execPath, [join(root, "scripts", "build.mjs")]);
if (built) totals.passed++;
else {
  totals.failed++;
  failures.push("Production build (the end-to-end tests need it and did not run)");
}
if (built) {
  let chromium;
  try {
    chromium = findChromium(root);
    console.log(`\nChromium: ${chromium}`);
  } catch (err) {
    console.error(`\n${err.message}`);
    totals.failed++;
    failures.push("End-to-end tests (no Chromium)");
  }
  if (chromium) playwright("End-to-end tests (Playwright, Chromium)", chromium);
}

if (failures.length) console.log(`\nFailed: ${failures.join("; ")}`);
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed ? 1 : 0);
