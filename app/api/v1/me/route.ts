import { ROLE_PERMISSIONS } from "@/lib/auth/permissions";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/me — who the session belongs to, with the console role's permissions.
export const GET = apiRoute({ permission: null }, async ({ actor }) => ({
  id: actor.id,
  email: actor.email,
  name: actor.name,
  role: actor.role,
  authProvider: actor.authProvider,
  permissions: ROLE_PERMISSIONS[actor.role],
}));
