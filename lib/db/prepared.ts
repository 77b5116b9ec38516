import "server-only";
import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { Database } from "./schema";

// Queries built once and run many times with new values: for the few queries every switch makes
// (the session check, the grant check, the audit row).
//
// Kysely builds a query as a tree of immutable nodes and compiles the tree to SQL on every run;
// for the switch's queries that is more CPU than SQLite spends running them (a CPU profile of
// `npm run bench:switch` put Kysely's building and compiling at about a sixth of the console's
// time per switch). The SQL of these queries depends only on their shape, never on the values, so
// it is compiled once per dialect and shape, with a placeholder value for each argument, and
// each run binds the real values in the placeholders' places.

/** A placeholder no real value holds: the argument's name between NULs, which no input the
 * store keeps can contain. */
const MARK = "\u0000switchboard-argument:";
const END = "\u0000";

/** Shapes kept per query and dialect. A shape is a few hundred bytes of SQL; a shape beyond the
 * bound (a person in more identity-provider groups than anyone before) is compiled afresh. */
const MAX_SHAPES = 64;

type Template = { compiled: CompiledQuery; slots: Array<string | undefined> };

/** Stands for the named argument while the query is built. Its type is what the builder needs
 * there; the value bound at run time is `args[name]`. */
export type Arg = <T = string>(name: string) => T;

/** A query whose SQL is compiled once per dialect and `shape`. `build` must put each argument in
 * the query only as a value (`where(col, "=", arg("id"))`, `values({ col: arg("col") })`,
 * `sql\`${arg("x")}\``): never in a string it builds, a `lit`, or an identifier. Anything that
 * changes the SQL itself (an `in` list's length, a branch for administrators) goes in `shape`,
 * and the builder reads it from there. */
export function preparedQuery<O, S extends string = string>(build: (db: Kysely<Database>, arg: Arg, shape: S) => Compilable<O>) {
  // Per dialect (the adapter is made once per client and shared with its transactions).
  const templates = new WeakMap<object, Map<string, Template>>();

  function template(db: Kysely<Database>, shape: S): Template {
    const adapter = db.getExecutor().adapter;
    let shapes = templates.get(adapter);
    if (!shapes) templates.set(adapter, (shapes = new Map()));
    const kept = shapes.get(shape);
    if (kept) return kept;
    const made = compile(build(db, (name) => `${MARK}${name}${END}` as never, shape));
    if (shapes.size < MAX_SHAPES) shapes.set(shape, made);
    return made;
  }

  /** Runs the query with `args` bound; the rows, as the builder's query would return them. */
  return async function run(db: Kysely<Database>, args: Record<string, unknown>, shape = "" as S): Promise<O[]> {
    const { compiled, slots } = template(db, shape);
    const parameters = slots.map((name, i) => {
      if (name === undefined) return compiled.parameters[i];
      const value = args[name];
      if (value === undefined) throw new Error(`prepared query: no value for argument "${name}"`);
      return value;
    });
    const result = await db.executeQuery<O>({ ...compiled, parameters });
    return result.rows;
  };
}

function compile(query: Compilable<unknown>): Template {
  const compiled = query.compile();
  const slots = compiled.parameters.map((value) => {
    if (typeof value !== "string" || !value.includes(MARK)) return undefined;
    // A placeholder that Kysely changed on its way into the SQL (joined to other text, say)
    // would bind the wrong value: refuse it, loudly, the first time the query is built.
    const name = value.slice(MARK.length, -END.length);
    if (value !== `${MARK}${name}${END}` || name.includes(END)) throw new Error(`prepared query: an argument was used inside a larger value: ${JSON.stringify(value)}`);
    return name;
  });
  if (compiled.sql.includes(MARK)) throw new Error("prepared query: an argument was written into the SQL itself, not bound as a value");
  return { compiled, slots };
}
