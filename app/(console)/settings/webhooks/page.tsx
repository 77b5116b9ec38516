import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { getConfig } from "@/lib/config";
import { listDeliveries, listWebhooks } from "@/lib/webhooks/service";
import { WebhooksClient } from "./webhooks-client";

export const metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const actor = await requirePage("webhooks.manage");
  const webhooks = await listWebhooks(actor);
  const deliveries = Object.fromEntries(await Promise.all(webhooks.map(async (w) => [w.id, await listDeliveries(actor, w.id)] as const)));
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Tell approvers about access requests where they already are: a Slack channel, or your own service through a signed JSON webhook."
      />
      <WebhooksClient webhooks={webhooks} deliveries={deliveries} asOf={new Date().toISOString()} allowHttp={getConfig().webhooks.allowPrivate} />
    </>
  );
}
