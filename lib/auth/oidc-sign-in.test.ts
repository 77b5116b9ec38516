// Single sign-on identities, against a real SQLite store: unverified emails,
// group claims sent as one string, and an AWS identity that does not follow the email.
import { withTempStore } from "@/lib/config/testing";
import { describe, expect, it } from "vitest";

withTempStore("oidc");

const { getDb } = await import("@/lib/db/client");
const { emailIsVerified, groupsFromClaims, signInWithOidc } = await import("./oidc-sign-in");

const meta = { requestId: "test-oidc", ip: "203.0.113.10", userAgent: "vitest" };
const oidc = {
  issuer: "https://idp.example.com",
  clientId: "c",
  clientSecret: "s",
  name: "SSO",
  scopes: "openid email profile",
  groupsClaim: "groups",
  roleMapping: { sre: "operator" as const, "platform admins": "admin" as const },
  defaultRole: undefined,
  requireEmailVerified: true,
};

describe("groupsFromClaims", () => {
  it("reads a list as a list, and one string as one group", () => {
    expect(groupsFromClaims({ groups: ["sre", "everyone"] }, "groups")).toEqual(["sre", "everyone"]);
    // Split on spaces, "platform admins sre" used to be the three groups platform, admins, sre.
    expect(groupsFromClaims({ groups: "platform admins sre" }, "groups")).toEqual(["platform admins sre"]);
    expect(groupsFromClaims({ groups: "sre,admins" }, "groups")).toEqual(["sre,admins"]);
    expect(groupsFromClaims({ groups: 42 }, "groups")).toEqual([]);
  });
});

describe("emailIsVerified", () => {
  it.each([
    [true, true, true],
    ["true", true, true],
    [false, true, false],
    [false, false, false],
    ["false", false, false],
    [undefined, true, false],
    [undefined, false, true],
  ])("claim %s, required %s → %s", (claim, required, expected) => {
    expect(emailIsVerified(claim, required)).toBe(expected);
  });
});

describe("signInWithOidc", () => {
  it("refuses an email the provider has not verified, and records why", async () => {
    const result = await signInWithOidc({ sub: "u-unverified", email: "eve@example.com", emailVerified: false, groups: ["sre"] }, oidc, meta);
    expect(result).toEqual({ ok: false, code: "email_unverified" });
    const missing = await signInWithOidc({ sub: "u-missing", email: "mal@example.com", groups: ["sre"] }, oidc, meta);
    expect(missing).toEqual({ ok: false, code: "email_unverified" });
    const db = await getDb();
    expect(await db.selectFrom("users").select("id").where("email", "in", ["eve@example.com", "mal@example.com"]).execute()).toEqual([]);
    const events = await db.selectFrom("audit_events").select(["outcome", "reason"]).where("actor_email", "=", "eve@example.com").execute();
    expect(events).toEqual([{ outcome: "failure", reason: "The identity provider says the email is not verified" }]);
  });

  it("accepts a missing claim when the console is told the provider never sends it", async () => {
    const result = await signInWithOidc({ sub: "u-entra", email: "erin@example.com", groups: ["sre"] }, { ...oidc, requireEmailVerified: false }, meta);
    expect(result.ok).toBe(true);
  });

  it("does not grant a mapped group to a string claim that only contains its name", async () => {
    const result = await signInWithOidc({ sub: "u-sneaky", email: "sam@example.com", emailVerified: true, groups: groupsFromClaims({ groups: "everyone sre" }, "groups") }, oidc, meta);
    expect(result).toEqual({ ok: false, code: "no_role" });
  });

  it("keeps the AWS identity fixed when the provider later sends another email", async () => {
    const first = await signInWithOidc({ sub: "u-otto", email: "otto@example.com", emailVerified: true, groups: ["sre"] }, oidc, meta);
    expect(first.ok).toBe(true);
    const again = await signInWithOidc({ sub: "u-otto", email: "ceo@example.com", emailVerified: true, groups: ["sre"] }, oidc, meta);
    expect(again.ok).toBe(true);
    const db = await getDb();
    const row = await db.selectFrom("users").select(["email", "aws_identity"]).where("oidc_subject", "=", "u-otto").executeTakeFirstOrThrow();
    expect(row).toEqual({ email: "ceo@example.com", aws_identity: "otto@example.com" });
  });
});
