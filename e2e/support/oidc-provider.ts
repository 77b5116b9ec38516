// A real OpenID Connect provider on loopback (the `oidc-provider` package), so that single
// sign-on is tested end to end: authorization code with PKCE, state and nonce, an ID token
// signed by the provider, and a groups claim that the console maps to a console role.
import type { Server } from "node:http";
import Provider from "oidc-provider";

export type IdpUser = { email: string; name: string; groups: string[] };

/** The people the test provider knows; any other login gets no groups. */
export const IDP_USERS: Record<string, IdpUser> = {
  "olivia.admin": { email: "olivia.admin@idp.example", name: "Olivia Admin", groups: ["platform-admins", "everyone"] },
  "otto.operator": { email: "otto.operator@idp.example", name: "Otto Operator", groups: ["sre", "everyone"] },
  "nora.nobody": { email: "nora.nobody@idp.example", name: "Nora Nobody", groups: ["everyone"] },
};

export const OIDC_CLIENT = { id: "switchboard-e2e", secret: "e2e-client-secret-9f2c4d7a1b" };

export async function startOidcProvider(opts: { port: number; redirectUri: string }): Promise<{ issuer: string; close: () => Promise<void> }> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [opts.redirectUri],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    // Put the requested claims in the ID token itself (next-auth reads the ID token).
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => {
      const user = IDP_USERS[id] ?? { email: `${id}@idp.example`, name: id, groups: [] };
      return {
        accountId: id,
        claims: () => ({ sub: id, email: user.email, email_verified: true, name: user.name, groups: user.groups }),
      };
    },
    cookies: { keys: ["switchboard-e2e-oidc-cookie-key"] },
    features: { devInteractions: { enabled: true } },
    // Grant the requested scopes without a consent screen, as a company IdP configured for an
    // internal app does.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope("openid email profile groups");
      grant.addOIDCClaims(["email", "email_verified", "name", "groups"]);
      await grant.save();
      return grant;
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(opts.port, "127.0.0.1", () => resolve(s));
  });
  return {
    issuer,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
