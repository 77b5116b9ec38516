import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { getConfig, type Config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { requestMeta, requestMetaFrom } from "@/lib/http/request-meta";
import { logger } from "@/lib/log";
import { openConsoleSession } from "./console-sessions";
import { signInWithPassword } from "./local-sign-in";
import { authSecret } from "./secret";
import { safeCallbackPath } from "./redirect";
import { groupsFromClaims, signInWithOidc, type OidcProfile } from "./oidc-sign-in";
import { credentialCache } from "@/lib/sessions/credential-cache";

export const OIDC_PROVIDER_ID = "oidc";

const credentialsInput = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1000),
});

/** Error codes the sign-in page turns into messages (next-auth passes them as `error`). */
export const SIGN_IN_ERRORS = {
  invalid: "invalid",
  disabled: "disabled",
  /** `rate_limited:<seconds>`: too many attempts; the page says how long to wait. */
  rateLimited: "rate_limited",
  noRole: "no_role",
  noEmail: "no_email",
  emailUnverified: "email_unverified",
  emailInUse: "email_in_use",
} as const;

function oidcProvider(oidc: NonNullable<Config["oidc"]>): OAuthConfig<Record<string, unknown>> {
  return {
    id: OIDC_PROVIDER_ID,
    name: oidc.name,
    type: "oauth",
    wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: oidc.scopes } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    profile(claims) {
      return {
        id: String(claims.sub),
        email: typeof claims.email === "string" ? claims.email : null,
        name: typeof claims.name === "string" ? claims.name : typeof claims.preferred_username === "string" ? claims.preferred_username : null,
      };
    },
  };
}

let cached: AuthOptions | undefined;

export function getAuthOptions(): AuthOptions {
  if (cached) return cached;
  const config = getConfig();
  const providers: AuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, req) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) throw new Error(SIGN_IN_ERRORS.invalid);
        const h = new Headers();
        for (const [k, v] of Object.entries(req.headers ?? {})) if (typeof v === "string") h.set(k, v);
        const result = await signInWithPassword(parsed.data.email, parsed.data.password, requestMetaFrom(h));
        if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name, sv: result.user.sessionVersion };
        throw new Error(result.code === "rate_limited" ? `${SIGN_IN_ERRORS.rateLimited}:${result.retryAfter}` : result.code);
      },
    }),
  ];
  if (config.oidc) providers.push(oidcProvider(config.oidc));

  cached = {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: config.sessionMaxAgeSeconds, updateAge: 15 * 60 },
    jwt: { maxAge: config.sessionMaxAgeSeconds },
    useSecureCookies: config.secureCookies,
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID || !config.oidc) return true;
        const claims = (profile ?? {}) as Record<string, unknown>;
        const oidcProfile: OidcProfile = {
          sub: String(claims.sub ?? account.providerAccountId),
          email: typeof claims.email === "string" ? claims.email : undefined,
          emailVerified: claims.email_verified,
          name: typeof claims.name === "string" ? claims.name : undefined,
          groups: groupsFromClaims(claims, config.oidc.groupsClaim),
        };
        const result = await signInWithOidc(oidcProfile, config.oidc, await requestMeta());
        return result.ok ? true : `/signin?error=${result.code}`;
      },
      async jwt({ token, user, account }) {
        if (!user || !account) return token;
        // First call after a successful sign-in: pin the store's user id and session version,
        // and open this sign-in's row in console_sessions (idle timeout, step-up).
        const db = await getDb();
        let uid: string;
        let sv: number;
        if (account.provider === OIDC_PROVIDER_ID) {
          const row = await db.selectFrom("users").select(["id", "session_version"]).where("oidc_subject", "=", account.providerAccountId).executeTakeFirst();
          if (!row) throw new Error("OIDC user missing after sign-in");
          uid = row.id;
          sv = row.session_version;
        } else {
          uid = user.id;
          sv = (user as { sv?: number }).sv ?? 1;
        }
        const sid = await openConsoleSession(uid, await requestMeta());
        return { ...token, uid, sv, sid, authAt: Math.floor(Date.now() / 1000) };
      },
      /** Where next-auth may send someone after signing in or out: a path on this console, never
       * another origin (next-auth's own default also accepts any same-origin absolute URL; the
       * path is resolved first, so `/.//evil.example` cannot become `//evil.example`). */
      async redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, baseUrl, { allowSignInPage: true })}`;
      },
      async session({ session, token }) {
        return { ...session, uid: token.uid ?? "", sv: token.sv ?? 0, authAt: token.authAt ?? 0 };
      },
    },
    events: {
      async signOut({ token }) {
        // Bumping the version ends this session (and the user's other sessions) on their next
        // request, instead of when the JWT would have expired.
        if (!token?.uid) return;
        const db = await getDb();
        if (token.sid) await db.updateTable("console_sessions").set({ ended_at: new Date().toISOString() }).where("id", "=", token.sid).execute();
        const user = await db
          .updateTable("users")
          .set((eb) => ({ session_version: eb("session_version", "+", 1), updated_at: new Date().toISOString() }))
          .where("id", "=", token.uid)
          .returning(["id", "email"])
          .executeTakeFirst();
        if (user) await recordAudit({ action: "auth.sign_out", outcome: "success", actor: user, request: await requestMeta() });
        credentialCache().forgetPerson(token.uid);
      },
    },
    logger: {
      // next-auth's own logging can include request details; keep only the code.
      error(code) {
        logger.error({ operation: "auth", code }, "next-auth reported an error");
      },
      warn(code) {
        if (code !== "DEBUG_ENABLED") logger.warn({ operation: "auth", code }, "next-auth reported a warning");
      },
      debug() {},
    },
  };
  return cached;
}
