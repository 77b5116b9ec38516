import { describe, expect, it } from "vitest";
import { remaining } from "./expiry";

const at = Date.parse("2026-05-01T12:00:00.000Z");

describe("remaining", () => {
  it.each<[string, string, boolean, boolean]>([
    ["2026-05-01T13:00:00.000Z", "1:00:00", false, false],
    ["2026-05-01T12:59:32.999Z", "59:32", false, false],
    ["2026-05-01T12:04:59.000Z", "4:59", false, true],
    ["2026-05-01T12:00:00.999Z", "0:00", false, true],
    ["2026-05-01T23:02:03.000Z", "11:02:03", false, false],
    ["2026-05-01T12:00:00.000Z", "expired", true, true],
    ["2026-05-01T11:00:00.000Z", "expired", true, true],
  ])("%s → %s", (expiresAt, text, expired, soon) => {
    expect(remaining(expiresAt, at)).toEqual({ text, expired, soon });
  });

  it("says so when the expiry cannot be read", () => {
    expect(remaining("soon", at)).toEqual({ text: "unknown", expired: false, soon: false });
  });
});
