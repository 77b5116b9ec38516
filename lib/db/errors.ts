// Recognises constraint violations from either dialect, so data-access code can turn them into
// a clear 4xx ("an account with this ID is already registered") instead of a 500. Kysely passes
// the driver's error through: better-sqlite3's SqliteError carries an extended result code
// (https://www.sqlite.org/rescode.html), pg's DatabaseError a SQLSTATE
// (https://www.postgresql.org/docs/current/errcodes-appendix.html).

function codeOf(err: unknown): unknown {
  return typeof err === "object" && err !== null && "code" in err ? err.code : undefined;
}

/** A UNIQUE or PRIMARY KEY violation. */
export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}

/** A FOREIGN KEY violation: a row names a parent that does not exist (or no longer does). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503";
}

/** A CHECK violation. Input validation should have caught it first, so it usually means a bug. */
export function isCheckViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === "SQLITE_CONSTRAINT_CHECK" || code === "23514";
}
