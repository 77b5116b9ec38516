import { apiRoute } from "@/lib/http/api";
import { createUser } from "@/lib/users/create-user";
import { listUsers } from "@/lib/users/list-users";
import { createUserInput } from "@/lib/users/schemas";

// GET /api/v1/users — every user (administrators)
export const GET = apiRoute({ permission: "users.manage" }, async ({ actor }) => ({ users: await listUsers(actor) }));

// POST /api/v1/users — create a local user { email, name, password, role } (administrators)
export const POST = apiRoute({ permission: "users.manage", body: createUserInput, status: 201 }, async ({ actor, body, meta }) => ({
  user: await createUser(actor, body, meta),
}));
