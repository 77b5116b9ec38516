import { apiRoute } from "@/lib/http/api";
import { startSession, startSessionInput } from "@/lib/sessions/start-session";

// POST /api/v1/sessions — switch into a granted role { roleId, kind: "console" | "credentials", region?, durationSeconds? }:
// a console sign-in URL or temporary credentials, for the caller only, never cached
export const POST = apiRoute({ permission: "sessions.create", body: startSessionInput }, async ({ actor, body, meta }) => {
  const session = await startSession(actor, body, meta);
  if (session.kind === "console") {
    const { consoleUrl, expiresAt, region, assumedRoleArn, roleArn } = session;
    return { consoleUrl, expiresAt, region, assumedRoleArn, roleArn };
  }
  return session;
});
