// Fixtures for the lint tests here and in lib/provision/plan-lint.test.ts: the statements
// lib/provision/trust.ts writes, and small documents. Test support only.

import type { BrokerIdentity, KnownAccount } from "./types";

export const V = "2012-10-17" as const;
export const ACCOUNT = "111111111111";
export const OTHER = "222222222222";
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/deploy`;
export const BROKER_SESSION = "arn:aws:sts::999999999999:assumed-role/SwitchboardBroker/switchboard";
export const BROKER_ROLE = "arn:aws:iam::999999999999:role/SwitchboardBroker";
export const GITHUB = "token.actions.githubusercontent.com";
export const GITHUB_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB}`;
export const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

/** The broker and the registered accounts of the plan tests' context. */
export const broker = (): BrokerIdentity => ({ arn: BROKER_SESSION, accountId: "999999999999", temporary: false });
export const accounts = (): Array<KnownAccount & { canProvision: boolean }> => [{ accountId: OTHER, name: "Development", canProvision: true }];

export type S = Record<string, unknown>;
/** A policy document as the plan builder writes it (lib/provision's PolicyJson). */
export type PolicyDocument = { Version: typeof V; Statement: S[] };

/** The statement lib/provision/trust.ts writes for the "broker" entity. */
export const brokerStatement: S = { Sid: "TrustSwitchboardBroker", Effect: "Allow", Principal: { AWS: BROKER_ROLE }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] };
export const accountStatement = (condition?: S): S => ({ Sid: "TrustAccounts", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sts:AssumeRole", ...(condition && { Condition: condition }) });
export const serviceStatement = (service: string, extra: S = {}): S => ({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...extra });
export const githubStatement = (condition: S, extra: S = {}): S => ({ Sid: "TrustGitHubActions", Effect: "Allow", Principal: { Federated: GITHUB_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition, ...extra });
export const githubConditions = { StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com", [`${GITHUB}:sub`]: "repo:acme/app:ref:refs/heads/main" } };
/** A role in an account Switchboard does not know, with an ExternalId. */
export const unregistered: S = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::555555555555:role/vendor" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "abc-123" } } };

/** The tutorials' read_my_bucket. */
export const readBucket: PolicyDocument = {
  Version: V,
  Statement: [
    { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::reports" },
    { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" },
  ],
};
export const policy = (...statements: S[]): PolicyDocument => ({ Version: V, Statement: statements });
export const tooManyStatements = Array.from({ length: 40 }, (_, i) => ({ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::bucket-number-${i}/*` }));
