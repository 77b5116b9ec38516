import { STEP_UP_WINDOW_MS } from "@/lib/auth/actor";
import { ROLE_PERMISSIONS } from "@/lib/auth/permissions";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/me — who the session (or personal access token) belongs to, with the console role's
// permissions, and when the session ends and until when it counts as a recent sign-in (step-up)
export const GET = apiRoute({ permission: null, tokens: "read" }, async ({ actor }) => ({
  id: actor.id,
  email: actor.email,
  name: actor.name,
  role: actor.role,
  authProvider: actor.authProvider,
  permissions: ROLE_PERMISSIONS[actor.role],
  session: {
    endsAt: new Date(actor.session.endsAt).toISOString(),
    verifiedUntil: new Date(actor.session.verifiedAt + STEP_UP_WINDOW_MS).toISOString(),
  },
  ...(actor.token ? { token: { id: actor.token.id, name: actor.token.name, scope: actor.token.scope } } : {}),
}));
