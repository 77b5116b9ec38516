import { PageHeader } from "@/components/ui/page-header";
import { hasPermission, type Actor } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { exportRolesOf, type ExportRole } from "@/lib/catalog/config-export";
import { getMenuData } from "@/lib/catalog/menu";
import { listRoles } from "@/lib/catalog/roles";
import { getConfig } from "@/lib/config";
import { listAllTokens, listOwnTokens } from "@/lib/tokens/tokens";
import { ExportRoles } from "./export-roles";
import { TokensClient } from "./tokens-client";

export const metadata = { title: "Command line & tokens" };

// Anyone signed in may look: auditors see why they have no tokens. Making one needs
// sessions.create (createTokenAction checks it); everyone's list is for administrators.
export default async function TokensPage() {
  const actor = await requirePage();
  const canManage = hasPermission(actor, "users.manage");
  const canSwitch = hasPermission(actor, "sessions.create");
  const [own, all, roles] = await Promise.all([listOwnTokens(actor), canManage ? listAllTokens(actor) : Promise.resolve(null), canSwitch ? exportableRoles(actor) : Promise.resolve(null)]);
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
        canCreate={canSwitch}
        baseUrl={config.baseUrl.replace(/\/+$/, "")}
        selfId={actor.id}
      >
        {roles ? <ExportRoles roles={roles} sessionName={actor.awsIdentity} /> : null}
      </TokensClient>
    </>
  );
}

/** The roles this person may switch into (the menu's, as `switchboard config export` reads them),
 * each with its ARN from the catalog; the browser gets no ExternalId, only whether one is sent. */
async function exportableRoles(actor: Actor): Promise<ExportRole[]> {
  const [menu, catalog] = await Promise.all([getMenuData(actor), listRoles(actor)]);
  return exportRolesOf(menu, new Map(catalog.map((r) => [r.id, r.roleArn])));
}
