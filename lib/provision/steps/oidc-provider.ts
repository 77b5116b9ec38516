import "server-only";
import { CreateOpenIDConnectProviderCommand, DeleteOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, type IAMClient } from "@aws-sdk/client-iam";
import { hasAwsCode } from "@/lib/aws/errors";
import { PlanStepError, retried, notFoundYet, undefinedIfMissing, work, type Call, type Op, type StepContext, type Undo, type Work } from "./shared";

/** Creates the plan's OIDC provider (GitHub's), or uses the one the account already has when it
 * accepts the audience the trust policy checks. */
export function oidcProviderStep({ plan, account, recent }: StepContext): Work | undefined {
  const provider = plan.oidcProvider;
  if (!provider) return undefined;
  const target = plan.accountId;
  const host = provider.url.replace(/^https:\/\//i, "");
  const op: Op = { doing: `creating the OIDC provider ${host}`, permission: "iam:CreateOpenIDConnectProvider", accountId: target, thing: `An OIDC provider for ${host}` };
  const del = (arn: string): Undo => ({
    op: { doing: `deleting the OIDC provider ${host}`, permission: "iam:DeleteOpenIDConnectProvider", accountId: target },
    run: async (iam, call) => {
      // DeleteOpenIDConnectProvider succeeds for a provider that does not exist.
      await call(del(arn).op, () => iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
    },
  });
  const existing = (iam: IAMClient, call: Call, wait = false) =>
    call(
      { ...op, doing: `reading the OIDC provider ${host}`, permission: "iam:GetOpenIDConnectProvider" },
      () => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: provider.arn })),
      wait ? notFoundYet : undefined,
    ).catch(undefinedIfMissing);

  return work(
    { id: "oidc-provider", label: `Create OIDC provider ${host}` },
    target,
    async (iam, call, w) => {
      try {
        const out = await call(op, () => iam.send(new CreateOpenIDConnectProviderCommand({ Url: provider.url, ClientIDList: provider.clientIds })));
        return { status: "done", undo: del(out.OpenIDConnectProviderArn ?? provider.arn) };
      } catch (err) {
        if (!hasAwsCode(err, "EntityAlreadyExists")) throw err;
        // One provider per URL per account: the role can use the one that is there, as long as
        // it accepts the audience the trust policy checks.
        const found = await existing(iam, call);
        if (!found) throw err;
        if (retried(w, err) && recent(found.CreateDate)) return { status: "done", undo: del(provider.arn) };
        const missing = provider.clientIds.filter((id) => !(found.ClientIDList ?? []).includes(id));
        if (missing.length) {
          throw new PlanStepError(
            `The OIDC provider ${host} already exists in ${account(target)} but does not accept the audience ${missing.join(", ")}. Add it to the provider's client IDs (aws iam add-client-id-to-open-id-connect-provider), then try again.`,
          );
        }
        return { status: "skipped", note: `The OIDC provider ${host} already exists in ${account(target)}; the role uses it.` };
      }
    },
    {
      op: del(provider.arn).op,
      run: async (iam, call) => {
        const found = await existing(iam, call, true);
        if (found && recent(found.CreateDate)) await del(provider.arn).run(iam, call);
      },
    },
    del(provider.arn),
  );
}
