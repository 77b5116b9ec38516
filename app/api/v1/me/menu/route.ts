import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { getMenuData } from "@/lib/catalog/menu";
import { encodeMenu, MENU_WIRE_GZIP_TYPE, MENU_WIRE_TYPE } from "@/lib/catalog/menu-wire";
import { apiRoute } from "@/lib/http/api";

const gzipAsync = promisify(gzip);

// GET /api/v1/me/menu — the Switch Role menu's data: the roles the caller may switch into. As
// objects (MenuData, lib/catalog/menu-types.ts) by default; the menu itself asks (Accept) for its
// compact shape (lib/catalog/menu-wire.ts: a fifth of the size), gzipped where the browser can
// unzip it (a seventh of that again).
//
// The console compresses nothing else (next.config.js): its small answers carry secrets, and a
// compressed secret next to text a third party can influence leaks through the length (BREACH,
// https://www.breachattack.com/). This answer carries no secret — no credential, token or
// ExternalId (only whether an entry has one), nothing of the request echoed back — and at 5,000
// roles it is large enough for compression to pay.
export const GET = apiRoute({ permission: "sessions.create", tokens: "read" }, async ({ actor, request }) => {
  const data = await getMenuData(actor);
  const accept = request.headers.get("accept");
  const headers = { "Cache-Control": "no-store", Pragma: "no-cache", Vary: "Accept" };
  if (accepts(accept, MENU_WIRE_GZIP_TYPE)) {
    // zlib's default level, on the threadpool: a few ms for the largest menus, off the event loop.
    const body = await gzipAsync(JSON.stringify(encodeMenu(data)));
    return new Response(new Uint8Array(body), { headers: { ...headers, "Content-Type": MENU_WIRE_GZIP_TYPE } });
  }
  if (accepts(accept, MENU_WIRE_TYPE)) return new Response(JSON.stringify(encodeMenu(data)), { headers: { ...headers, "Content-Type": MENU_WIRE_TYPE } });
  return Response.json(data, { headers });
});

/** Whether an Accept header names `type` with a q above 0 (RFC 9110 §12.5.1: q=0 means "not
 * acceptable"). Wildcards do not count: the compact shapes go only to clients that name them. */
function accepts(header: string | null, type: string): boolean {
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (name?.trim() !== type) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    return q === undefined || Number(q) > 0;
  }
  return false;
}
