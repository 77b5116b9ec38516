// Registering a role names its account: only a real "no such account" is answered as "not
// registered"; a store that fails while looking is a failure of its own, not an answer about the
// account. The account lookup is stood in for so that it can fail; the store is real (SQLite).
import { describe, expect, it, vi } from "vitest";
import { testActor } from "@/lib/auth/testing";
import { withTempStore } from "@/lib/config/testing";
import { AppError, notFound } from "@/lib/errors";

vi.mock("@/lib/accounts/queries", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/lib/accounts/queries")>()), findAccount: vi.fn() }));

// The config (and so the store) is read from the environment on first use.
withTempStore("roles");

const { findAccount } = await import("@/lib/accounts/queries");
const { registerRole } = await import("./roles");

const admin = testActor({ id: "user-roles-test", email: "ada.admin@example.com", name: "Ada", role: "admin" });
const meta = { requestId: "req-roles-test", ip: "203.0.113.40", userAgent: "vitest" };
const input = { accountId: "111111111111", roleName: "ReadOnly" };

describe("registerRole: the account lookup", () => {
  it("answers an account that is not registered as bad_request on the field", async () => {
    vi.mocked(findAccount).mockRejectedValueOnce(notFound("No registered account 111111111111."));
    const refused = await registerRole(admin, input, meta).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "bad_request", fields: { accountId: "Its account is not registered" } });
  });

  it("lets a store failure through as itself, not as 'not registered'", async () => {
    const storeFailure = new Error("SQLITE_BUSY: database is locked");
    vi.mocked(findAccount).mockRejectedValueOnce(storeFailure);
    await expect(registerRole(admin, input, meta)).rejects.toBe(storeFailure);
  });
});
