import { z } from "zod";
import { discoverRoles } from "@/lib/catalog/discover";
import { accountRefField } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

const params = z.object({ id: accountRefField });

// GET /api/v1/accounts/{id}/discover — the account's IAM roles (through its provisioning role), with trust summaries
export const GET = apiRoute({ permission: "roles.manage", params }, async ({ actor, params }) => discoverRoles(actor, params.id));
