import { startSessionOperation } from "@/lib/sessions/api";

// POST /api/v1/sessions — switch into a granted role (lib/sessions/api.ts). The console answers
// the exact path itself, ahead of Next.js (lib/http/fast-route.ts); this handler answers the rest
// (a query string, a trailing slash, a request from another origin Next.js is served at).
export const POST = startSessionOperation.next;
