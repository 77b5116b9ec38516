import { describe, expect, it } from "vitest";
import { describeDatabase, maskUrl } from "./describe";

describe("describeDatabase", () => {
  it.each([
    [{ dialect: "sqlite", path: "data/switchboard.db" } as const, "SQLite data/switchboard.db"],
    [{ dialect: "postgres", url: "postgres://switchboard:s3cret@db.internal:5432/switchboard" } as const, "Postgres postgres://switchboard:****@db.internal:5432/switchboard"],
    [{ dialect: "postgres", url: "postgresql://db.internal/switchboard" } as const, "Postgres postgresql://db.internal/switchboard"],
  ])("%o → %s", (database, expected) => {
    expect(describeDatabase(database)).toBe(expected);
  });
});

describe("maskUrl", () => {
  it.each([
    ["postgres://app:p%40ss%2Fword@host/db", "postgres://app:****@host/db"],
    ["postgres://app@host/db?password=hunter2&sslmode=require", "postgres://app@host/db?password=****&sslmode=require"],
    ["postgres://host/db?sslpassword=x&application_name=console", "postgres://host/db?sslpassword=****&application_name=console"],
  ])("%s → %s", (url, expected) => {
    expect(maskUrl(url)).toBe(expected);
  });

  it("does not echo what it cannot parse", () => {
    expect(maskUrl("postgres://app:hunter2@[bad")).toBe("(an unparseable URL)");
  });
});
