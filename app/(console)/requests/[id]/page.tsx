import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { getAccessRequest } from "@/lib/access/requests";
import { requestStory } from "@/lib/access/story";
import { requirePage } from "@/lib/auth/guard";
import { idField } from "@/lib/catalog/schemas";
import { notFound } from "next/navigation";
import { RequestDetail } from "./request-detail";

export const metadata = { title: "Access request" };

// One request and its whole story from the audit log: the request, each decision (and refused
// attempt), the switches made under it, the end and the revocation. Visible to the requester, the
// entry's approvers, administrators and auditors (getAccessRequest checks; others get 404).
export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePage();
  const parsed = idField("Request id").safeParse((await params).id);
  if (!parsed.success) notFound();
  const request = await getAccessRequest(actor, parsed.data).catch((err: unknown) => {
    if ((err as { code?: string }).code === "not_found") notFound();
    throw err;
  });
  const story = await requestStory(actor, request.id);
  return (
    <>
      <PageHeader
        title="Access request"
        description={
          <>
            <Link href="/requests" className="font-medium text-indigo-700 underline">
              Access requests
            </Link>{" "}
            › {request.role.accountName} / {request.role.displayName} for {request.requester.email}
          </>
        }
      />
      <RequestDetail request={request} story={story} asOf={new Date().toISOString()} />
    </>
  );
}
