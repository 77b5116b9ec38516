import { afterEach, describe, expect, it, vi } from "vitest";
import { nowIso } from "./time";

// newId keeps the last time and random part in module state: each case starts from a fresh copy.
async function freshIds() {
  vi.resetModules();
  return import("./ids");
}

afterEach(() => {
  vi.resetModules();
});

describe("newId", () => {
  it("makes 26-character Crockford base32 ULIDs whose first 10 characters are the millisecond", async () => {
    const { newId, idTime, ID_PATTERN } = await freshIds();
    // The example in the ULID spec: 01ARYZ6S41 is 1469918176385.
    const id = newId(1469918176385);
    expect(id).toHaveLength(26);
    expect(id).toMatch(ID_PATTERN);
    expect(id.slice(0, 10)).toBe("01ARYZ6S41");
    expect(idTime(id)).toBe(1469918176385);
    expect(idTime(newId())).toBeGreaterThanOrEqual(1469918176385);
  });

  it("encodes the whole 48-bit range and refuses times outside it", async () => {
    const { newId } = await freshIds();
    expect(newId(0).slice(0, 10)).toBe("0000000000");
    expect(newId(2 ** 48 - 1).slice(0, 10)).toBe("7ZZZZZZZZZ");
    for (const bad of [-1, 2 ** 48, 1.5, Number.NaN]) expect(() => newId(bad)).toThrow(RangeError);
  });

  it("sorts ids by the time they were made, as plain text", async () => {
    const { newId } = await freshIds();
    const start = Date.parse("2026-01-01T00:00:00.000Z");
    const times = [0, 1, 2, 31, 32, 33, 1023, 1024, 86_400_000, 86_400_001].map((ms) => start + ms);
    const ids = times.map((t) => newId(t));
    expect([...ids].sort()).toEqual(ids);
    // Fresh random bits each millisecond.
    expect(new Set(ids.map((id) => id.slice(10))).size).toBe(ids.length);
  });

  it("stays strictly increasing within one millisecond", async () => {
    const { newId, idTime } = await freshIds();
    const t = Date.parse("2026-06-01T12:00:00.000Z");
    const ids = Array.from({ length: 10_000 }, () => newId(t));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(ids.every((id) => idTime(id) === t)).toBe(true);
  });

  it("stays increasing when the clock steps back", async () => {
    const { newId, idTime } = await freshIds();
    const t = Date.parse("2026-06-01T12:00:00.000Z");
    const before = newId(t);
    const after = newId(t - 60_000);
    expect(after > before).toBe(true);
    expect(idTime(after)).toBe(t);
    expect(newId(t + 1) > after).toBe(true);
  });

  it("idTime refuses what is not an id", async () => {
    const { idTime } = await freshIds();
    for (const bad of ["", "01ARYZ6S41TSV4RRFFQ69G5FA", "01ARYZ6S41TSV4RRFFQ69G5FAI", "81ARYZ6S41TSV4RRFFQ69G5FAV", "01aryz6s41tsv4rrffq69g5fav"]) {
      expect(() => idTime(bad), bad).toThrow(RangeError);
    }
  });
});

describe("nowIso", () => {
  it("is ISO-8601 UTC with milliseconds, 24 characters, now", () => {
    const before = Date.now();
    const now = nowIso();
    expect(now).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(now)).toBeLessThanOrEqual(Date.now());
  });
});
