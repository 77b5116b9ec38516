// The console's operations, as its OpenAPI document describes them.
import { rawRequest } from "./http";

export type JsonSchema = Record<string, unknown>;
export type Operation = { method: string; path: string; pathParams: string[]; queryParams: Array<{ name: string; schema: JsonSchema }>; body?: JsonSchema };
type OpenApi = { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: JsonSchema }>; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>> };

export async function operations(base: string): Promise<Operation[]> {
  const reply = await rawRequest(base, "GET", "/api/v1/openapi.json");
  if (reply.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${reply.status}`);
  const doc = reply.json<OpenApi>();
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path: `/api/v1${path}`,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        queryParams: params.filter((p) => p.in === "query").map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  return ops;
}

export const opKey = (op: Pick<Operation, "method" | "path">) => `${op.method} ${op.path.replace(/^\/api\/v1/, "")}`;
