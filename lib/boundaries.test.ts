// The line between server and browser code, checked over the whole tree. Every module in lib/ is
// one of two kinds, and says which on its first line:
//   - server: starts with `import "server-only"` (the store, AWS, secrets, the session);
//   - shared: pure logic with no marker (policy evaluation, schemas, formats), safe in a browser.
// A shared module may import only shared modules and no server package, and browser code (a
// "use client" module and everything it imports, up to a "use server" boundary) may reach only
// shared modules. Next.js's build would also refuse the second, but only at build time and one
// error at a time; this names every offender in a second. eslint.config.mjs enforces the direct
// imports as you type.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

/** Packages that only run on a server (or only make sense there). */
const SERVER_PACKAGE = /^(server-only|next\/headers|next-auth(?!\/react)(\/.*)?|better-sqlite3|pg|kysely|rate-limiter-flexible|pino(-pretty)?|@aws-sdk\/.*|@smithy\/.*|node:.*|fs|path|crypto|os|child_process)$/;

const isTestOnly = (file: string) => /(\.test\.tsx?|\.d\.ts|testing\.ts|global-setup\.ts)$|\/testing\//.test(file);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .filter((f) => !isTestOnly(f));
}

type Module = { file: string; text: string; serverOnly: boolean; directive: "use client" | "use server" | null; imports: string[] };

/** Value imports and re-exports only: `import type` and all-type named imports vanish when
 * compiled, so they cross the line harmlessly. */
function valueImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const allTypes = clause && !clause.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!allTypes) out.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      out.push(node.moduleSpecifier.text);
    }
  }
  return out;
}

function load(): Map<string, Module> {
  const files = ["lib", "app", "components"].flatMap(sourceFiles);
  const modules = new Map<string, Module>();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), "utf8");
    const first = /^\s*["'](use client|use server)["']/.exec(text);
    modules.set(file, {
      file,
      text,
      serverOnly: /^import "server-only";/m.test(text),
      directive: (first?.[1] as Module["directive"]) ?? null,
      imports: valueImports(file, text),
    });
  }
  return modules;
}

const MODULES = load();

/** A module specifier → a file in the tree, or the package name when it is not ours. */
function resolve(specifier: string, from: string): { file: string } | { pkg: string } {
  const base = specifier.startsWith("@/") ? specifier.slice(2) : specifier.startsWith(".") ? normalize(join(dirname(from), specifier)) : null;
  if (base === null) return { pkg: specifier };
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`, base]) {
    if (MODULES.has(candidate)) return { file: candidate };
  }
  return { pkg: specifier };
}

/** What a module reaches on the server side of the line, if anything: a marked module or a
 * server package it imports directly. */
function serverImports(mod: Module): string[] {
  return mod.imports.flatMap((specifier) => {
    const target = resolve(specifier, mod.file);
    if ("pkg" in target) return SERVER_PACKAGE.test(target.pkg) ? [target.pkg] : [];
    return MODULES.get(target.file)?.serverOnly ? [target.file] : [];
  });
}

describe("server and browser boundaries", () => {
  it("finds the tree (so the checks below cannot pass on nothing)", () => {
    const lib = [...MODULES.keys()].filter((f) => f.startsWith("lib/"));
    expect(lib.length).toBeGreaterThan(80);
    expect(lib.filter((f) => MODULES.get(f)!.serverOnly).length).toBeGreaterThan(30);
    expect([...MODULES.values()].filter((m) => m.directive === "use client").length).toBeGreaterThan(20);
  });

  it("a shared lib module imports only shared modules, no server package, and reads no environment", () => {
    const offenders = [...MODULES.values()]
      .filter((m) => m.file.startsWith("lib/") && !m.serverOnly)
      .flatMap((m) => [...serverImports(m), ...(/\bprocess\.env\b/.test(m.text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "")) ? ["process.env"] : [])].map((what) => `${m.file} → ${what}`));
    expect(offenders, "mark these modules `import \"server-only\"`, or move the server part out").toEqual([]);
  });

  it("browser code reaches no server module, through any chain of imports", () => {
    const offenders: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string, chain: string[]) => {
      if (seen.has(file)) return;
      seen.add(file);
      const mod = MODULES.get(file)!;
      // A client module may import a "use server" module: it gets a reference to each action,
      // never the module's code.
      if (mod.directive === "use server") return;
      for (const what of serverImports(mod)) offenders.push([...chain, file, what].join(" → "));
      for (const specifier of mod.imports) {
        const target = resolve(specifier, file);
        if ("file" in target) visit(target.file, [...chain, file]);
      }
    };
    for (const mod of MODULES.values()) if (mod.directive === "use client") visit(mod.file, []);
    expect(seen.size).toBeGreaterThan(40);
    expect(offenders).toEqual([]);
  });

  it("lib/policy, which the sandbox shares, imports nothing else from the console", () => {
    const outside = [...MODULES.values()]
      .filter((m) => m.file.startsWith("lib/policy/"))
      .flatMap((m) => m.imports.map((s) => ({ m, target: resolve(s, m.file) })))
      .filter(({ target }) => "file" in target && !target.file.startsWith("lib/policy/"))
      .map(({ m, target }) => `${m.file} → ${"file" in target ? target.file : ""}`);
    expect(outside).toEqual([]);
  });
});
