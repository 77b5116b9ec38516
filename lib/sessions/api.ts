import "server-only";
import { apiOperation } from "@/lib/http/api";
import { startSession, startSessionInput } from "./start-session";

/** POST /api/v1/sessions — switch into a granted role { roleId, kind: "console" | "credentials",
 * region?, durationSeconds? }: a console sign-in URL or temporary credentials, for the caller only,
 * never cached. Served by app/api/v1/sessions/route.ts and, ahead of Next.js, by
 * lib/http/fast-route.ts (installed in instrumentation.ts): one operation, one guard. */
export const startSessionOperation = apiOperation({ permission: "sessions.create", tokens: "switch", body: startSessionInput }, async ({ actor, body, meta }) => {
  const session = await startSession(actor, body, meta);
  if (session.kind === "console") {
    const { consoleUrl, expiresAt, region, assumedRoleArn, roleArn } = session;
    return { consoleUrl, expiresAt, region, assumedRoleArn, roleArn };
  }
  return session;
});
