// Shared credentials and config files for the seeded users, in the formats the AWS CLI, boto3
// and the SDKs read: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
import { join } from "node:path";
import { ACCOUNTS, BROKER_USER, DEVELOPER_USER, SEED_EXTERNAL_ID } from "./seed";
import type { SandboxState } from "./state";
import { writeFileAtomic } from "./store";

export type SandboxFiles = { credentials: string; config: string; mfa: string };

/** Role profiles in `.sandbox/config`: the tutorials' `role_arn` + `source_profile` form. */
export const ROLE_PROFILES: Array<{ profile: string; roleArn: string; source: string; externalId?: string }> = [
  { profile: "delegate-read-my-bucket", roleArn: `arn:aws:iam::${ACCOUNTS.production}:role/delegate_read_my_bucket`, source: DEVELOPER_USER },
  { profile: "production-readonly", roleArn: `arn:aws:iam::${ACCOUNTS.production}:role/ReadOnly`, source: BROKER_USER },
  {
    profile: "production-third-party-auditor",
    roleArn: `arn:aws:iam::${ACCOUNTS.production}:role/ThirdPartyAuditor`,
    source: BROKER_USER,
    externalId: SEED_EXTERNAL_ID,
  },
  { profile: "production-admin", roleArn: `arn:aws:iam::${ACCOUNTS.production}:role/OrganizationAccountAccessRole`, source: BROKER_USER },
  { profile: "development-admin", roleArn: `arn:aws:iam::${ACCOUNTS.development}:role/OrganizationAccountAccessRole`, source: BROKER_USER },
  { profile: "operations-admin", roleArn: `arn:aws:iam::${ACCOUNTS.operations}:role/OrganizationAccountAccessRole`, source: BROKER_USER },
  { profile: "test-admin", roleArn: `arn:aws:iam::${ACCOUNTS.test}:role/OrganizationAccountAccessRole`, source: BROKER_USER },
];

export function writeSandboxFiles(dir: string, state: SandboxState, endpoint: string): SandboxFiles {
  const files: SandboxFiles = {
    credentials: join(dir, "credentials"),
    config: join(dir, "config"),
    mfa: join(dir, "mfa.json"),
  };
  const header = `# Written by the Switchboard sandbox for ${endpoint}. Regenerated on every start.\n`;
  const credentials: string[] = [header];
  const config: string[] = [header];
  const serviceEndpoint = [`region = us-east-1`, `endpoint_url = ${endpoint}`];
  for (const key of Object.values(state.accessKeys)) {
    if (key.status !== "Active") continue;
    const account = state.accounts[key.accountId];
    credentials.push(
      `# IAM user ${key.userName} in ${account?.name ?? key.accountId} (${key.accountId})`,
      `[${key.userName}]`,
      `aws_access_key_id = ${key.accessKeyId}`,
      `aws_secret_access_key = ${key.secretAccessKey}`,
      "",
    );
    config.push(`[profile ${key.userName}]`, ...serviceEndpoint, "");
  }
  for (const p of ROLE_PROFILES) {
    config.push(
      `[profile ${p.profile}]`,
      `role_arn = ${p.roleArn}`,
      `source_profile = ${p.source}`,
      `role_session_name = ${p.source}-cli`,
      ...(p.externalId ? [`external_id = ${p.externalId}`] : []),
      ...serviceEndpoint,
      "",
    );
  }
  const mfa = Object.values(state.accounts).flatMap((a) =>
    Object.values(a.mfaDevices).map((d) => ({ accountId: a.id, userName: d.userName, serialNumber: d.serialNumber, seed: d.seed })),
  );
  writeFileAtomic(files.credentials, `${credentials.join("\n")}\n`);
  writeFileAtomic(files.config, `${config.join("\n")}\n`);
  writeFileAtomic(files.mfa, `${JSON.stringify({ note: "TOTP seeds (RFC 6238, SHA-1, 6 digits, 30 s) of the sandbox's virtual MFA devices", devices: mfa }, null, 2)}\n`);
  return files;
}
