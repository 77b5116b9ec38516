import { z } from "zod";
import { apiRoute } from "@/lib/http/api";
import { updateUserInput, userIdField } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/update-user";

const params = z.object({ id: userIdField });

// PATCH /api/v1/users/{id} — change name, role, disabled or password (administrators)
export const PATCH = apiRoute({ permission: "users.manage", params, body: updateUserInput }, async ({ actor, params, body, meta }) => ({
  user: await updateUser(actor, params.id, body, meta),
}));
