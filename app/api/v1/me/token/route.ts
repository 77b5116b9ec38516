import { apiRoute } from "@/lib/http/api";
import { endOwnToken } from "@/lib/tokens/tokens";

// DELETE /api/v1/me/token — end the personal access token this request is sent with (the CLI's
// `switchboard logout`)
export const DELETE = apiRoute({ permission: null, tokens: "read" }, async ({ actor, meta }) => ({ token: await endOwnToken(actor, meta) }));
