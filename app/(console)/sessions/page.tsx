import { forbidden } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { activeSessionsScope, listActiveSessions } from "@/lib/revocation/active-sessions";
import { SessionsClient } from "./sessions-client";

export const metadata = { title: "Active sessions" };

// Anyone signed in may ask; listActiveSessions decides whose sessions they see (everyone's for
// administrators and auditors, their own for operators) and refuses anyone else.
export default async function ActiveSessionsPage() {
  const actor = await requirePage();
  const scope = activeSessionsScope(actor);
  if (!scope) forbidden();
  const { sessions, truncated, asOf } = await listActiveSessions(actor);
  return (
    <>
      <PageHeader
        title="Active sessions"
        description={
          scope === "everyone"
            ? "AWS sessions this console issued that have not expired yet, newest first. Built from the audit log: no credential is kept, and sessions started outside the console are not here."
            : "Your AWS sessions from this console that have not expired yet, newest first. Built from the audit log: no credential is kept."
        }
      />
      <SessionsClient sessions={sessions} now={Date.parse(asOf)} truncated={truncated} showPerson={scope === "everyone"} canRevoke={hasPermission(actor, "sessions.revoke")} />
    </>
  );
}
