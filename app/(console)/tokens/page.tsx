import { PageHeader } from "@/components/ui/page-header";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { getConfig } from "@/lib/config";
import { listAllTokens, listOwnTokens } from "@/lib/tokens/tokens";
import { TokensClient } from "./tokens-client";

export const metadata = { title: "Command line & tokens" };

// Anyone signed in may look: auditors see why they have no tokens. Making one needs
// sessions.create (createTokenAction checks it); everyone's list is for administrators.
export default async function TokensPage() {
  const actor = await requirePage();
  const canManage = hasPermission(actor, "users.manage");
  const [own, all] = await Promise.all([listOwnTokens(actor), canManage ? listAllTokens(actor) : Promise.resolve(null)]);
  const config = getConfig();
  return (
    <>
      <PageHeader
        title="Command line & tokens"
        description="Personal access tokens let the command line and your scripts call the console's API as you, with less than your console session can do."
      />
      <TokensClient
        own={own}
        all={all}
        asOf={new Date().toISOString()}
        maxDays={config.tokenMaxDays}
        canCreate={hasPermission(actor, "sessions.create")}
        baseUrl={config.baseUrl.replace(/\/+$/, "")}
        selfId={actor.id}
      />
    </>
  );
}
