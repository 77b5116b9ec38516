import "server-only";
import { sql, type RawBuilder } from "kysely";

// CHECK expressions that mean the same on SQLite and Postgres. They are part of the
// migrations' history: a migration that ran must keep producing the same schema, so change a
// helper only by adding a new one.
//
// DDL takes no bind parameters, hence sql.lit for values.

/** `column in ('a', 'b', …)` */
export function oneOf(column: string, values: readonly string[]): RawBuilder<unknown> {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

/** Exactly `length` ASCII digits. The dialects share no pattern syntax (SQLite has GLOB,
 * Postgres SIMILAR TO and ~), so "digits only" is spelled "nothing left once every digit is
 * removed". */
export function digits(column: string, length: number): RawBuilder<unknown> {
  let stripped: RawBuilder<unknown> = sql`${sql.ref(column)}`;
  for (const digit of "0123456789") stripped = sql`replace(${stripped}, ${sql.lit(digit)}, '')`;
  return sql`length(${sql.ref(column)}) = ${sql.lit(length)} and ${stripped} = ''`;
}

/** A `Date.toISOString()` timestamp (`2025-01-31T12:00:00.000Z`): fixed width, so that text
 * comparison is time comparison on both dialects. Null passes, as in every CHECK. */
export function isoTimestamp(column: string): RawBuilder<unknown> {
  return sql`${sql.ref(column)} like '____-__-__T__:__:__.___Z'`;
}

/** 0 or 1. */
export function flag(column: string): RawBuilder<unknown> {
  return sql`${sql.ref(column)} in (0, 1)`;
}
