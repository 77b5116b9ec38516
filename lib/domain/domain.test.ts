// lib/domain holds the lists both the server and the browser use, so its modules must stay
// importable anywhere: no imports at all.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS } from "./environments";
import { PARTITIONS } from "./partitions";

const modules = readdirSync(new URL(".", import.meta.url)).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

describe("lib/domain", () => {
  it.each(modules)("%s imports nothing", (file) => {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*(?:import|export\s[^;]*\sfrom)\s/m);
  });

  it("lists each partition and environment once", () => {
    expect(new Set(PARTITIONS).size).toBe(PARTITIONS.length);
    expect(new Set(ENVIRONMENTS).size).toBe(ENVIRONMENTS.length);
    expect(ENVIRONMENTS[0]).toBe("production");
  });
});
