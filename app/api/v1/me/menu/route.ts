import { getMenuData } from "@/lib/catalog/menu";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/me/menu — the Switch Role menu's data: the roles the caller may switch into
export const GET = apiRoute({ permission: "sessions.create" }, async ({ actor }) => getMenuData(actor));
