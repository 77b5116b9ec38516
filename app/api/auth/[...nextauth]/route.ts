import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getAuthOptions } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

// GET/POST /api/auth/* — next-auth's own endpoints (CSRF token, credentials and OIDC
// callbacks, sign-out). Options are built on first use so config is validated at runtime.
async function handler(request: NextRequest, context: Context) {
  return NextAuth(request, context, getAuthOptions());
}

export { handler as GET, handler as POST };
