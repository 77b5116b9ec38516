// AppError across copies of lib/errors.ts: Next.js bundles its server entry points separately,
// each with its own copy, and an error made by one can reach another through what they share on
// globalThis (the rate limiters, the credential cache). It must still be recognised as an
// AppError there, or the person gets "internal" instead of what went wrong.
import { describe, expect, it, vi } from "vitest";
import { AppError } from "./errors";

describe("AppError", () => {
  it("is recognised by instanceof whichever copy of the module made it", async () => {
    vi.resetModules();
    const other = await import("./errors");
    expect(other.AppError).not.toBe(AppError);
    const fromOther = new other.AppError("rate_limited", "Wait a minute.", { retryAfter: 60 });
    expect(fromOther instanceof AppError).toBe(true);
    expect(new AppError("bad_request", "No.") instanceof other.AppError).toBe(true);
    expect(fromOther).toMatchObject({ code: "rate_limited", status: 429, retryAfter: 60, message: "Wait a minute." });
  });

  it("is not claimed by other errors, or by look-alikes without its mark", () => {
    expect(new Error("boom") instanceof AppError).toBe(false);
    expect(Object.assign(new Error("x"), { code: "bad_request", name: "AppError" }) instanceof AppError).toBe(false);
    for (const value of [null, undefined, "AppError", 42, {}]) expect(value instanceof AppError).toBe(false);
    const err = new AppError("not_found", "Gone.");
    expect(err).toBeInstanceOf(Error);
    expect(JSON.parse(JSON.stringify({ ...err }))).not.toHaveProperty("Symbol(switchboard.AppError)");
  });
});
