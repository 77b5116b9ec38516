// Personal access tokens against a real SQLite store, through the real guard (apiRoute) with the
// Authorization header a CLI sends: the format a scanner recognises, the store holding only a
// hash, scope, expiry, revocation, ending on disable and password reset, and "via token" in the
// audit log. Only next/headers (the framework's request scope) is stood in for.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { signInTestUser, signedInTestEnv } from "@/lib/http/testing";

signedInTestEnv("tokens", { SWITCHBOARD_TOKEN_MAX_DAYS: "60" });
vi.mock("next/headers", async () => (await import("@/lib/http/testing")).nextHeadersStub());

const { NextRequest } = await import("next/server");
const { apiRoute } = await import("@/lib/http/api");
const { addTestUser } = await import("@/lib/auth/testing");
const { getDb } = await import("@/lib/db/client");
const { updateUser } = await import("@/lib/users/update-user");
const { createToken, hashToken, listAllTokens, listOwnTokens, revokeToken } = await import("./tokens");
const { isWellFormedToken, TOKEN_PATTERN, TOKEN_PREFIX, TOKEN_SCAN, tokenFromBytes } = await import("./format");

const meta = { requestId: "test-request", ip: "192.0.2.7" };

// Three entry points as the console declares them: one any token may call, one that needs the
// switch scope, and one that takes no token (every admin route is like it).
const readRoute = apiRoute({ permission: "sessions.create", tokens: "read" }, async ({ actor }) => ({ email: actor.email, via: actor.token?.name ?? null }));
const switchRoute = apiRoute({ permission: "sessions.create", tokens: "switch" }, async ({ actor, meta: m }) => {
  const { recordAudit } = await import("@/lib/audit/record");
  await recordAudit({ action: "session.credentials", outcome: "success", actor, request: m });
  return { ok: true };
});
const adminRoute = apiRoute({ permission: "users.manage" }, async () => ({ secret: "admin things" }));

async function call(route: typeof readRoute, authorization: string | undefined, method = "GET") {
  const request = new NextRequest("http://localhost:3000/api/v1/test-tokens", { method, headers: authorization === undefined ? {} : { authorization } });
  const res = await route(request, { params: Promise.resolve({}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string; details?: { token?: string } } } };
}

let admin: Awaited<ReturnType<typeof addTestUser>>;

beforeAll(async () => {
  await signInTestUser("tess.admin@example.com", "admin");
  admin = { ...(await addTestUser("ada.admin@example.com", "admin")) };
});

describe("the token's format", () => {
  it("has a prefix scanners find, 238 random bits and a checksum that catches a changed character", async () => {
    const operator = await addTestUser("fmt.op@example.com", "operator");
    const { token } = await createToken(operator, { name: "laptop", scope: "switch", days: 30 }, meta);
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(token).toMatch(TOKEN_PATTERN);
    expect(isWellFormedToken(token)).toBe(true);
    expect(`export SWITCHBOARD_TOKEN=${token} # leaked`.match(TOKEN_SCAN)).toEqual([token]);
    // One character changed anywhere in the random part: the checksum no longer matches.
    const i = TOKEN_PREFIX.length + 7;
    const changed = token.slice(0, i) + (token[i] === "a" ? "b" : "a") + token.slice(i + 1);
    expect(isWellFormedToken(changed)).toBe(false);
    // Every byte below 248 becomes a character; the rest are skipped (no bias), and too few give none.
    expect(tokenFromBytes(new Uint8Array(39).fill(1))).toBeNull();
    expect(tokenFromBytes(new Uint8Array(80).fill(250))).toBeNull();
    expect(tokenFromBytes(new Uint8Array(40).fill(61))).toMatch(/^swbt_z{40}[0-9A-Za-z]{6}$/);
    // Two tokens are never alike.
    const other = (await createToken(operator, { name: "ci", scope: "read", days: 1 }, meta)).token;
    expect(other).not.toBe(token);
  });
});

describe("the store", () => {
  it("holds the token's hash and last four characters, never the token", async () => {
    const operator = await addTestUser("store.op@example.com", "operator");
    const { token, created } = await createToken(operator, { name: "store", scope: "switch", days: 30 }, meta);
    const db = await getDb();
    const row = await db.selectFrom("personal_tokens").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(row.hint).toBe(token.slice(-4));
    const everything = JSON.stringify([await db.selectFrom("personal_tokens").selectAll().execute(), await db.selectFrom("audit_events").selectAll().execute()]);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 20));
    expect(JSON.stringify(created)).not.toContain(token.slice(TOKEN_PREFIX.length, -4));
  });
});

describe("a request with a token", () => {
  it("is that person, on routes that take tokens; audited as via the token; its last use recorded", async () => {
    const operator = await addTestUser("use.op@example.com", "operator");
    const { token, created } = await createToken(operator, { name: "deploy box", scope: "switch", days: 30 }, meta);
    expect(await call(readRoute, `Bearer ${token}`)).toEqual({ status: 200, json: { email: "use.op@example.com", via: "deploy box" } });
    expect((await call(switchRoute, `bearer  ${token}`, "POST")).status).toBe(200);
    const db = await getDb();
    const events = await db.selectFrom("audit_events").select(["action", "details"]).where("actor_email", "=", "use.op@example.com").orderBy("at").execute();
    expect(events.map((e) => [e.action, JSON.parse(e.details).viaToken])).toEqual([
      ["token.create", undefined],
      ["token.use", "deploy box"],
      ["session.credentials", "deploy box"],
    ]);
    const [mine] = await listOwnTokens(operator);
    expect(mine).toMatchObject({ id: created.id, status: "active", lastUsedIp: null });
    expect(mine!.lastUsedAt).not.toBeNull();
  });

  it("with the read scope cannot switch, and no token reaches a route that takes none (an admin's token included); both refusals are audited", async () => {
    const operator = await addTestUser("scope.op@example.com", "operator");
    const read = (await createToken(operator, { name: "read only", scope: "read", days: 30 }, meta)).token;
    expect((await call(readRoute, `Bearer ${read}`)).status).toBe(200);
    const refused = await call(switchRoute, `Bearer ${read}`, "POST");
    expect(refused.status).toBe(403);
    expect(refused.json.error?.message).toContain("may only list your roles");
    const adminToken = (await createToken(admin, { name: "admin laptop", scope: "switch", days: 30 }, meta)).token;
    const toAdmin = await call(adminRoute, `Bearer ${adminToken}`);
    expect(toAdmin.status).toBe(403);
    expect(toAdmin.json.error?.message).toContain("A personal access token cannot do this");
    expect(JSON.stringify(toAdmin.json)).not.toContain("admin things");
    const db = await getDb();
    const denials = await db.selectFrom("audit_events").select(["actor_email", "details"]).where("action", "=", "access.denied").where("actor_email", "in", ["scope.op@example.com", "ada.admin@example.com"]).execute();
    expect(denials.map((d) => [d.actor_email, JSON.parse(d.details).viaToken])).toEqual(
      expect.arrayContaining([
        ["scope.op@example.com", "read only"],
        ["ada.admin@example.com", "admin laptop"],
      ]),
    );
  });

  it("says why it is refused: malformed, unknown, expired, revoked, disabled (401 each, and no fallback to the cookie)", async () => {
    const operator = await addTestUser("fail.op@example.com", "operator");
    const { token, created } = await createToken(operator, { name: "old", scope: "switch", days: 1 }, meta);
    const reason = async (authorization: string) => {
      const answer = await call(readRoute, authorization);
      expect(answer.status, authorization).toBe(401);
      return answer.json.error?.details?.token;
    };
    // The jar holds an admin's valid session cookie all along: a bad token is not rescued by it.
    expect(await reason("Basic dXNlcjpwYXNz")).toBe("malformed");
    expect(await reason("Bearer not-a-token")).toBe("malformed");
    expect(await reason(`Bearer ${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).toBe("malformed");
    const db = await getDb();
    const unknown = (await createToken(operator, { name: "gone", scope: "switch", days: 1 }, meta)).token;
    await db.deleteFrom("personal_tokens").where("token_hash", "=", hashToken(unknown)).execute();
    expect(await reason(`Bearer ${unknown}`)).toBe("unknown");
    await db.updateTable("personal_tokens").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("id", "=", created.id).execute();
    expect(await reason(`Bearer ${token}`)).toBe("expired");
    const live = await createToken(operator, { name: "live", scope: "switch", days: 1 }, meta);
    await revokeToken(operator, live.created.id, meta);
    expect(await reason(`Bearer ${live.token}`)).toBe("revoked");
    const next = await createToken(operator, { name: "next", scope: "switch", days: 1 }, meta);
    await db.updateTable("users").set({ disabled_at: new Date().toISOString() }).where("id", "=", operator.id).execute();
    expect(await reason(`Bearer ${next.token}`)).toBe("disabled");
    // A real token that no longer works is in its owner's record; a made-up one names no one.
    const denials = await db.selectFrom("audit_events").select(["reason", "details"]).where("action", "=", "access.denied").where("actor_email", "=", "fail.op@example.com").orderBy("at").execute();
    expect(denials.map((d) => [JSON.parse(d.details).viaToken, d.reason?.split(".")[0]])).toEqual([
      ["old", "This access token has expired"],
      ["live", "This access token was revoked"],
      ["next", "Your Switchboard account is disabled, so its access tokens no longer work"],
    ]);
  });
});

describe("ending tokens", () => {
  it("disabling a person or resetting their password ends every token they have, in the same change", async () => {
    const operator = await addTestUser("end.op@example.com", "operator");
    const a = await createToken(operator, { name: "a", scope: "switch", days: 30 }, meta);
    const b = await createToken(operator, { name: "b", scope: "read", days: 30 }, meta);
    await updateUser(admin, operator.id, { password: "a-brand-new-password-123" }, meta);
    expect((await call(readRoute, `Bearer ${a.token}`)).json.error?.details?.token).toBe("revoked");
    expect((await call(readRoute, `Bearer ${b.token}`)).json.error?.details?.token).toBe("revoked");
    expect((await listOwnTokens(operator)).map((t) => t.revokedReason)).toEqual(["their password was reset", "their password was reset"]);
    const c = await createToken(operator, { name: "c", scope: "switch", days: 30 }, meta);
    await updateUser(admin, operator.id, { disabled: true }, meta);
    await (await getDb()).updateTable("users").set({ disabled_at: null }).where("id", "=", operator.id).execute();
    // Enabled again, the token stays ended: it was revoked, not merely refused.
    expect((await call(readRoute, `Bearer ${c.token}`)).json.error?.details?.token).toBe("revoked");
  });

  it("a person revokes their own; another operator cannot see or revoke it; an administrator can", async () => {
    const owner = await addTestUser("own.op@example.com", "operator");
    const stranger = await addTestUser("stranger.op@example.com", "operator");
    const mine = await createToken(owner, { name: "mine", scope: "switch", days: 30 }, meta);
    await expect(revokeToken(stranger, mine.created.id, meta)).rejects.toMatchObject({ code: "not_found" });
    await expect(listAllTokens(stranger)).rejects.toMatchObject({ code: "forbidden" });
    expect((await listAllTokens(admin)).map((t) => t.id)).toContain(mine.created.id);
    const ended = await revokeToken(admin, mine.created.id, meta);
    expect(ended).toMatchObject({ status: "revoked", revokedReason: "revoked by ada.admin@example.com" });
    expect((await listAllTokens(admin)).map((t) => t.id)).not.toContain(mine.created.id);
    // Revoking again changes nothing.
    expect(await revokeToken(owner, mine.created.id, meta)).toMatchObject({ status: "revoked", revokedReason: "revoked by ada.admin@example.com" });
  });

  it("a token lives at most SWITCHBOARD_TOKEN_MAX_DAYS, and a token cannot make or manage tokens", async () => {
    const operator = await addTestUser("limits.op@example.com", "operator");
    await expect(createToken(operator, { name: "forever", scope: "switch", days: 61 }, meta)).rejects.toMatchObject({ code: "bad_request", fields: { days: "At most 60 days" } });
    const { created } = await createToken(operator, { name: "sixty", scope: "switch", days: 60 }, meta);
    expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(60 * 86_400_000);
    const asToken = { ...operator, token: { id: created.id, name: "sixty", scope: "switch" as const } };
    await expect(createToken(asToken, { name: "child", scope: "switch", days: 1 }, meta)).rejects.toMatchObject({ code: "forbidden" });
    await expect(listOwnTokens(asToken)).rejects.toMatchObject({ code: "forbidden" });
  });
});
