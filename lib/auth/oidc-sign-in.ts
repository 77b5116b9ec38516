import "server-only";
import { recordAudit } from "@/lib/audit/record";
import type { Config, ConsoleRole } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { RequestMeta } from "@/lib/http/request-meta";
import { newAwsIdentity } from "@/lib/users/aws-identity";

type OidcConfig = NonNullable<Config["oidc"]>;

/** Most privileged first: someone in several mapped groups gets the strongest role. */
const ROLE_ORDER: readonly ConsoleRole[] = ["admin", "operator", "auditor"];

export type OidcProfile = {
  sub: string;
  email?: string;
  /** The ID token's email_verified claim as sent: true, false, or absent (undefined). */
  emailVerified?: unknown;
  name?: string;
  groups: string[];
};

export type OidcSignInResult =
  | { ok: true; userId: string; sessionVersion: number }
  | { ok: false; code: "no_role" | "no_email" | "email_unverified" | "email_in_use" | "disabled" };

/** Reads the configured groups claim. A list is a list of groups; a claim sent as one string is
 * ONE group (splitting it on spaces or commas would turn a group named "sre admins" into the
 * groups "sre" and "admins", and a provider that lets people name groups would let them name
 * their way into any mapped group). */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string" && g.length > 0).slice(0, 500);
  if (typeof value === "string" && value.length > 0) return [value];
  return [];
}

/** Whether the ID token vouches for the email. OpenID Connect Core §5.1: email_verified is true
 * when the provider took steps to ensure the address belongs to the person. A false claim is
 * always refused; an absent one only when the console requires the claim (the default:
 * SWITCHBOARD_OIDC_REQUIRE_EMAIL_VERIFIED=false is for providers that never send it).
 * https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims */
export function emailIsVerified(claim: unknown, required: boolean): boolean {
  if (claim === undefined || claim === null) return !required;
  return claim === true || claim === "true";
}

export function roleForGroups(groups: string[], oidc: Pick<OidcConfig, "roleMapping" | "defaultRole">): ConsoleRole | undefined {
  const mapped = new Set(groups.map((g) => oidc.roleMapping[g]).filter((r): r is ConsoleRole => r !== undefined));
  return ROLE_ORDER.find((r) => mapped.has(r)) ?? oidc.defaultRole;
}

/** Creates or refreshes the console user behind an OIDC identity. The identity provider is the
 * source of truth for the role (from the groups claim) at every sign-in. An email that already
 * belongs to a local account is never linked silently: that would let whoever controls the IdP
 * account take over the local one. */
export async function signInWithOidc(profile: OidcProfile, oidc: OidcConfig, meta: RequestMeta): Promise<OidcSignInResult> {
  const db = await getDb();
  const email = profile.email?.trim().toLowerCase();
  const fail = async (code: Exclude<OidcSignInResult, { ok: true }>["code"], reason: string, actor?: { id: string; email: string }) => {
    await recordAudit({ action: "auth.sign_in", outcome: "failure", actor, actorEmail: email, reason, request: meta, details: { method: "oidc", groups: profile.groups.join(",").slice(0, 500) } });
    return { ok: false as const, code };
  };
  if (!email) return fail("no_email", "The identity provider sent no email claim");
  if (!emailIsVerified(profile.emailVerified, oidc.requireEmailVerified)) {
    return fail("email_unverified", profile.emailVerified === undefined ? "The identity provider did not say the email is verified (no email_verified claim)" : "The identity provider says the email is not verified");
  }
  const role = roleForGroups(profile.groups, oidc);

  const existing = await db
    .selectFrom("users")
    .select(["id", "email", "auth_provider", "oidc_subject", "disabled_at", "session_version"])
    .where((eb) => eb.or([eb("oidc_subject", "=", profile.sub), eb("email", "=", email)]))
    .execute();
  const bySubject = existing.find((u) => u.oidc_subject === profile.sub);
  const byEmail = existing.find((u) => u.email === email);
  if (!bySubject && byEmail) {
    return fail("email_in_use", "The email belongs to an existing account that is not linked to this identity", { id: byEmail.id, email: byEmail.email });
  }
  if (!role) {
    return fail("no_role", `None of the groups in the '${oidc.groupsClaim}' claim maps to a console role`, bySubject ? { id: bySubject.id, email: bySubject.email } : undefined);
  }
  const now = new Date().toISOString();
  const name = (profile.name?.trim() || email).slice(0, 100);
  if (bySubject) {
    if (bySubject.disabled_at) return fail("disabled", "Account is disabled", { id: bySubject.id, email: bySubject.email });
    await db
      .updateTable("users")
      .set({ email, name, role, groups: JSON.stringify(profile.groups), last_sign_in_at: now, updated_at: now })
      .where("id", "=", bySubject.id)
      .execute();
    await recordAudit({ action: "auth.sign_in", outcome: "success", actor: { id: bySubject.id, email }, request: meta, details: { method: "oidc", role } });
    return { ok: true, userId: bySubject.id, sessionVersion: bySubject.session_version };
  }
  const id = newId();
  await db
    .insertInto("users")
    .values({
      id,
      email,
      name,
      role,
      password_hash: null,
      auth_provider: "oidc",
      oidc_subject: profile.sub,
      groups: JSON.stringify(profile.groups),
      // Fixed now, from the email the provider sends at the first sign-in; later sign-ins may
      // change the email, never this.
      aws_identity: await newAwsIdentity(db, email, id),
      last_sign_in_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await recordAudit({ action: "auth.sign_in", outcome: "success", actor: { id, email }, request: meta, details: { method: "oidc", role, firstSignIn: true } });
  return { ok: true, userId: id, sessionVersion: 1 };
}
