// Queries compiled once and run with new values (lib/db/prepared.ts), on SQLite and Postgres:
// the rows are those the same query built afresh returns, values never leak from one run into
// the next, and a builder that would bind a placeholder wrongly is refused.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest } from "./migrate";
import { preparedQuery } from "./prepared";
import { testDatabases } from "./testing";

const AT = "2026-03-01T10:00:00.000Z";

function user(id: string, email: string, groups: string[] = []) {
  return { id, email, name: email, role: "operator" as const, auth_provider: "local" as const, password_hash: null, groups: JSON.stringify(groups), created_at: AT, updated_at: AT };
}

const byEmail = preparedQuery((db, arg) => db.selectFrom("users").select(["id", "email"]).where("email", "=", arg("email")));

const inGroups = preparedQuery((db, arg, shape: `${number}`) =>
  db
    .selectFrom("users")
    .select("id")
    .where(
      "id",
      "in",
      Array.from({ length: Number(shape) }, (_, i) => arg(`id${i}`)),
    )
    .where("role", "=", "operator")
    .orderBy("id"),
);

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: prepared queries", (_, store) => {
  it.skipIf(store.skip)("returns what the query built afresh returns, run after run, with each run's own values", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    await db.insertInto("users").values([user("u1", "ada@example.com"), user("u2", "bob@example.com"), user("u3", "cy@example.com")]).execute();

    for (const email of ["ada@example.com", "bob@example.com", "nobody@example.com", "ada@example.com"]) {
      const fresh = await db.selectFrom("users").select(["id", "email"]).where("email", "=", email).execute();
      expect(await byEmail(db, { email })).toEqual(fresh);
    }
    // A value that looks like SQL is only ever a value.
    expect(await byEmail(db, { email: "' or 1=1 --" })).toEqual([]);
  });

  it.skipIf(store.skip)("keeps one compiled form per shape", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    await db.insertInto("users").values([user("u1", "ada@example.com"), user("u2", "bob@example.com"), user("u3", "cy@example.com")]).execute();

    expect(await inGroups(db, { id0: "u2" }, "1")).toEqual([{ id: "u2" }]);
    expect(await inGroups(db, { id0: "u3", id1: "u1" }, "2")).toEqual([{ id: "u1" }, { id: "u3" }]);
    expect(await inGroups(db, { id0: "u1" }, "1")).toEqual([{ id: "u1" }]);
  });

  it.skipIf(store.skip)("writes inside a transaction, on the transaction's connection", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const insert = preparedQuery((d, arg) => d.insertInto("users").values({ ...user("", ""), id: arg("id"), email: arg("email") }));
    await expect(
      db.transaction().execute(async (trx) => {
        await insert(trx, { id: "u9", email: "rolled@example.com" });
        expect(await byEmail(trx, { email: "rolled@example.com" })).toHaveLength(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await byEmail(db, { email: "rolled@example.com" })).toEqual([]);
    await insert(db, { id: "u9", email: "kept@example.com" });
    expect(await byEmail(db, { email: "kept@example.com" })).toEqual([{ id: "u9", email: "kept@example.com" }]);
  });

  it.skipIf(store.skip)("refuses a run without a value for an argument, before it reaches the store", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    await expect(byEmail(db, {})).rejects.toThrow('prepared query: no value for argument "email"');
  });

  it.skipIf(store.skip)("refuses a builder that puts an argument anywhere but a value of its own", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const joined = preparedQuery((d, arg) => d.selectFrom("users").select("id").where("email", "=", `${arg("local")}@example.com`));
    await expect(joined(db, { local: "ada" })).rejects.toThrow("an argument was used inside a larger value");
    const inlined = preparedQuery((d, arg) => d.selectFrom("users").select("id").where("email", "=", sql.lit(arg("email"))));
    await expect(inlined(db, { email: "ada@example.com" })).rejects.toThrow("written into the SQL itself");
  });
});
