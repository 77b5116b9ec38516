import { createGrants } from "@/lib/catalog/grants";
import { createGrantsInput } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

// POST /api/v1/grants/batch — grant several role entries to several people and groups at once
// { roleIds, userEmails?, groups? }: all or nothing; pairs already granted come back in `existing`
export const POST = apiRoute({ permission: "grants.manage", body: createGrantsInput, status: 201 }, async ({ actor, body, meta }) => createGrants(actor, body, meta));
