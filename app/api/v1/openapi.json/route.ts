import { getConfig } from "@/lib/config";
import { openApiDocument } from "@/lib/http/openapi";

// GET /api/v1/openapi.json — the API's OpenAPI 3.1 description (public: it describes, it grants nothing)
export function GET() {
  return Response.json(openApiDocument(getConfig().baseUrl), { headers: { "Cache-Control": "public, max-age=300" } });
}
