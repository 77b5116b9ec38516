#!/usr/bin/env node
// `npm test`: everything CI runs, in order, ending with one line `N passed, N failed[, N skipped]`.
// Installs missing dependencies first, so it works on a clean clone with no other step.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
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
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests;
    totals.skipped += json.numPendingTests + json.numTodoTests;
    if (!ok && json.numFailedTests === 0) {
      totals.failed++;
      failures.push(`${name} (suite error)`);
    } else if (json.numFailedTests) failures.push(`${name} (${json.numFailedTests} failing)`);
  } catch {
    totals.failed++;
    failures.push(`${name} (no report)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  ensureDependencies(root);
} catch (err) {
  console.error(err.message);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

check("Typecheck (tsc --noEmit)", "npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
vitest("Unit and integration tests (Vitest)", []);

if (failures.length) console.log(`\nFailed: ${failures.join("; ")}`);
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed ? 1 : 0);
