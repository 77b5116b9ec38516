// IAM OpenID Connect identity providers (GitHub Actions, EKS, …) that web-identity roles trust.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
import { entityAlreadyExists, invalidInput, noSuchEntity } from "../../core/errors";
import type { ApiContext, ApiHandler } from "../../core/runtime";
import type { Account, OidcProvider, Tag } from "../../core/state";
import { PARTITION } from "../../core/world";
import { authorize, callerAccount, requestTagContext, resourceTagContext } from "./access";
import { iamArn } from "./lookup";
import { MAX_THUMBPRINTS, quota, quotaExceeded } from "./quotas";
import { getOwn, setOwn } from "./records";
import { requestTags, tagsOutput } from "./tags";

const THUMBPRINT = /^[0-9A-Fa-f]{40}$/;
const PROVIDER_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:oidc-provider/.+$`);

/** The issuer as IAM names the provider: host and path, without the scheme or a final "/".
 * "The URL must begin with https://", without a port, query or fragment. */
function issuerOf(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== "https:" || !url.toLowerCase().startsWith("https://")) {
    throw invalidInput(`Url ${url} is not valid: an OpenID Connect provider URL must begin with https://`);
  }
  if (parsed.port || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw invalidInput(`Url ${url} is not valid: it must be https://host or https://host/path, without a port, query or fragment.`);
  }
  return `${parsed.host}${parsed.pathname}`.replace(/\/+$/, "");
}

function checkProviderArn(arn: string): void {
  if (!PROVIDER_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
}

function authorizedProvider(ctx: ApiContext, action: `iam:${string}`, arn: string): { account: Account; provider?: OidcProvider } {
  checkProviderArn(arn);
  const account = callerAccount(ctx);
  const provider = getOwn(account.oidcProviders, arn);
  authorize(ctx, action, arn, resourceTagContext(provider?.tags));
  return { account, provider };
}

type CreateInput = { Url: string; ClientIDList?: string[]; ThumbprintList?: string[]; Tags?: Tag[] };

function createOpenIDConnectProvider(input: CreateInput, ctx: ApiContext) {
  const account = callerAccount(ctx);
  const arn = iamArn(account.id, `oidc-provider/${issuerOf(input.Url)}`);
  authorize(ctx, "iam:CreateOpenIDConnectProvider", arn, requestTagContext(input.Tags));
  // The URL parser lower-cases the host, so the same issuer always gives the same ARN.
  if (getOwn(account.oidcProviders, arn)) throw entityAlreadyExists(`Provider with url ${input.Url} already exists.`);
  if (Object.keys(account.oidcProviders).length >= quota("OpenIdConnectProvidersPerAccount")) {
    throw quotaExceeded("OpenIdConnectProvidersPerAccount");
  }
  // Thumbprints are optional since IAM verifies well-known issuers through their CA.
  const thumbprints = input.ThumbprintList ?? [];
  if (thumbprints.length > MAX_THUMBPRINTS) throw invalidInput(`A provider can have at most ${MAX_THUMBPRINTS} thumbprints.`);
  const bad = thumbprints.find((t) => !THUMBPRINT.test(t));
  if (bad !== undefined) throw invalidInput(`Thumbprint ${bad} is not valid: a thumbprint is 40 hexadecimal characters (a SHA-1 hash).`);
  const clientIds = [...new Set(input.ClientIDList ?? [])];
  if (clientIds.length > quota("ClientIdsPerOpenIdConnectProvider")) throw quotaExceeded("ClientIdsPerOpenIdConnectProvider");
  const provider: OidcProvider = {
    arn,
    url: input.Url,
    clientIds,
    thumbprints,
    createDate: ctx.world.now(),
    tags: requestTags(input.Tags),
  };
  setOwn(account.oidcProviders, arn, provider);
  ctx.world.changed();
  return { OpenIDConnectProviderArn: arn, ...tagsOutput(provider.tags) };
}

function getOpenIDConnectProvider(input: { OpenIDConnectProviderArn: string }, ctx: ApiContext) {
  const arn = input.OpenIDConnectProviderArn;
  const { provider } = authorizedProvider(ctx, "iam:GetOpenIDConnectProvider", arn);
  if (!provider) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return {
    Url: issuerOf(provider.url),
    ClientIDList: provider.clientIds,
    ThumbprintList: provider.thumbprints,
    CreateDate: new Date(provider.createDate),
    ...tagsOutput(provider.tags),
  };
}

function listOpenIDConnectProviders(_input: unknown, ctx: ApiContext) {
  const account = callerAccount(ctx);
  authorize(ctx, "iam:ListOpenIDConnectProviders", "*");
  return { OpenIDConnectProviderList: Object.keys(account.oidcProviders).sort().map((Arn) => ({ Arn })) };
}

/** "This operation is idempotent; it does not fail or return an error if you call the operation
 * for a provider that does not exist." */
function deleteOpenIDConnectProvider(input: { OpenIDConnectProviderArn: string }, ctx: ApiContext) {
  const { account, provider } = authorizedProvider(ctx, "iam:DeleteOpenIDConnectProvider", input.OpenIDConnectProviderArn);
  if (!provider) return;
  delete account.oidcProviders[provider.arn];
  ctx.world.changed();
}

export const oidcProviderHandlers: Record<string, ApiHandler> = {
  CreateOpenIDConnectProvider: createOpenIDConnectProvider,
  GetOpenIDConnectProvider: getOpenIDConnectProvider,
  ListOpenIDConnectProviders: listOpenIDConnectProviders,
  DeleteOpenIDConnectProvider: deleteOpenIDConnectProvider,
};
