import { z } from "zod";
import { apiRoute } from "@/lib/http/api";
import { clearSignInLock } from "@/lib/users/clear-sign-in-lock";
import { userIdField } from "@/lib/users/schemas";

const params = z.object({ id: userIdField });

// POST /api/v1/users/{id}/clear-sign-in-lock — forget a person's failed sign-ins and end their wait (administrators)
export const POST = apiRoute({ permission: "users.manage", params }, async ({ actor, params, meta }) => ({
  user: await clearSignInLock(actor, params.id, meta),
}));
