import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers (ARCHITECTURE.md): lib/ never imports app/ or components/; lib/policy, which the
// sandbox shares, imports nothing else from lib/; browser code never imports a server module.
// A server module is one that starts with `import "server-only"`; the list is read from the tree
// each run, so marking a module server-only is all it takes to keep it out of the browser.

const root = import.meta.dirname;

function sourceFiles(dir) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

const read = (file) => readFileSync(join(root, file), "utf8");
const importPath = (file) => `@/${file.replace(/(\/index)?\.tsx?$/, "")}`;

const serverModules = sourceFiles("lib")
  .filter((f) => /^import "server-only";/m.test(read(f)))
  .map(importPath);

/** Files the browser runs: every component module, and the app/ files marked "use client". */
const browserFiles = [
  "components/**/*.{ts,tsx}",
  ...sourceFiles("app").filter((f) => /^\s*["']use client["']/.test(read(f))),
];

const SERVER_PACKAGES = ["server-only", "next/headers", "next-auth/jwt", "better-sqlite3", "pg", "kysely", "@aws-sdk/*", "node:*", "fs", "path", "crypto"];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // `_`-prefixed arguments are deliberately unused (handler signatures).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Type-aware rules for the bugs that bite here: a promise nobody awaits (an audit write, a
    // store update) fails silently; an async handler passed where a void one is expected
    // swallows its rejection.
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  {
    files: ["lib/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/app/*", "@/components/*", "**/app/*", "**/components/*"], message: "lib/ is the core: it never imports app/ or components/." }] },
      ],
    },
  },
  {
    files: ["sandbox/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^@/", message: "The sandbox runs without Next.js or path aliases: import lib/policy by a relative path." },
            { regex: "^(\\.\\./)+(app|components)(/|$)|^(\\.\\./)+lib/(?!policy(/|$))", message: "The sandbox imports nothing from the console but lib/policy." },
          ],
        },
      ],
    },
  },
  // lib/policy is shared with the sandbox: it imports nothing else from lib/ (by alias, or by a
  // relative path that climbs out of lib/policy).
  ...["lib/policy/*.ts", "lib/policy/*/*.ts", "lib/policy/*/*/*.ts"].map((files, depth) => ({
    files: [files],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^@/(?!lib/policy(/|$))", message: "lib/policy is shared with the sandbox: it imports nothing else from lib/." },
            { regex: `^(\\.\\./){${depth + 1}}`, message: "lib/policy is shared with the sandbox: it imports nothing else from lib/." },
          ],
        },
      ],
    },
  })),
  {
    files: browserFiles,
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: serverModules.map((name) => ({ name, message: "This module is server-only; browser code may import its types only (import type), or a shared module.", allowTypeImports: true })),
          patterns: [{ group: SERVER_PACKAGES, message: "Server-side package: browser code cannot import it.", allowTypeImports: true }],
        },
      ],
    },
  },
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", "node_modules/**", ".sandbox/**", "data/**", "test-results/**", "playwright-report/**", "public/cli/**"]),
]);
