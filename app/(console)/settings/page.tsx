import { BellRing, CheckCircle2, Clock, ShieldAlert } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { getBrokerIdentity } from "@/lib/aws/broker-identity";
import { getConfig } from "@/lib/config";
import { HEALTH_CHECK_SESSION_NAME } from "@/lib/sessions/role-health-check";

export const metadata = { title: "Settings" };

const KIND_LABEL = { "long-term": "Long-term access keys", "instance-profile": "EC2 instance profile", temporary: "Temporary role credentials" } as const;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 px-5 py-3 sm:grid-cols-[14rem_1fr] sm:gap-4">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function hours(seconds: number): string {
  const h = seconds / 3600;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} hour${h === 1 ? "" : "s"}`;
}

function minutes(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m % 60 === 0 && m >= 60 ? hours(seconds) : `${m} minute${m === 1 ? "" : "s"}`;
}

function rate({ points, seconds }: { points: number; seconds: number }): string {
  const window = seconds === 1 ? "second" : seconds === 60 ? "minute" : seconds === 3600 ? "hour" : seconds % 3600 === 0 ? `${seconds / 3600} hours` : seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
  return `${points} per ${window}`;
}

/** 15 → "15 seconds", 1800 → "30 minutes", 21600 → "6 hours", 86400 → "24 hours". */
function interval(seconds: number): string {
  return seconds < 60 ? `${seconds} seconds` : minutes(seconds);
}

export default async function SettingsPage() {
  const actor = await requirePage("settings.read");
  const config = getConfig();
  const broker = await getBrokerIdentity();
  return (
    <>
      <PageHeader title="Settings" description="How this console is set up. Change these through its environment (see the README); nothing here is a secret." />
      <div className="space-y-6">
        <Card>
          <CardHeader
            title="The console's AWS identity"
            description="The principal the console uses to call STS AssumeRole for you, found through the AWS SDK's default credential chain. Its credentials never leave the server."
          />
          {broker.ok ? (
            <dl className="divide-y divide-slate-100" data-testid="broker-identity">
              <Row label="Principal">
                <span className="font-mono text-xs break-all" data-testid="broker-arn">
                  {broker.arn}
                </span>
              </Row>
              <Row label="Account">
                <span className="font-mono">{broker.account}</span>
              </Row>
              <Row label="Credentials">
                <div className="flex items-start gap-2">
                  {broker.kind === "temporary" ? (
                    <ShieldAlert className="mt-0.5 h-4 w-4 shrink-0 text-amber-600" aria-hidden />
                  ) : (
                    <CheckCircle2 className="mt-0.5 h-4 w-4 shrink-0 text-emerald-600" aria-hidden />
                  )}
                  <div>
                    <p className="font-medium" data-testid="broker-kind">
                      {KIND_LABEL[broker.kind]}
                    </p>
                    <p className="text-slate-600" data-testid="broker-explanation">
                      {broker.explanation}
                    </p>
                  </div>
                </div>
              </Row>
              <Row label="Longest session it can open">
                <span className="inline-flex items-center gap-1">
                  <Clock className="h-4 w-4 text-slate-400" aria-hidden />
                  {hours(broker.maxSessionSeconds)}
                </span>
              </Row>
            </dl>
          ) : (
            <div className="px-5 py-4">
              <Alert title="The console cannot reach AWS">{broker.message}</Alert>
            </div>
          )}
        </Card>

        {hasPermission(actor, "webhooks.manage") ? (
          <Card>
            <CardHeader
              title="Webhooks"
              description="Tell approvers about access requests in a Slack channel or your own service."
              actions={
                <Link href="/settings/webhooks" className="inline-flex items-center gap-1.5 text-sm font-medium text-indigo-700 hover:underline" data-testid="settings-webhooks-link">
                  <BellRing className="h-4 w-4" aria-hidden />
                  Manage webhooks
                </Link>
              }
            />
          </Card>
        ) : null}

        <Card>
          <CardHeader title="Sign-in" />
          <dl className="divide-y divide-slate-100">
            <Row label="Methods">
              <div className="flex flex-wrap gap-2">
                <Badge>Email and password</Badge>
                {config.oidc ? <Badge tone="violet">{config.oidc.name} (OpenID Connect)</Badge> : null}
              </div>
            </Row>
            {config.oidc ? (
              <>
                <Row label="Identity provider">
                  <span className="font-mono text-xs">{config.oidc.issuer}</span>
                </Row>
                <Row label="Groups claim → console role">
                  {Object.keys(config.oidc.roleMapping).length ? (
                    <ul className="space-y-0.5">
                      {Object.entries(config.oidc.roleMapping).map(([group, role]) => (
                        <li key={group}>
                          <span className="font-mono text-xs">{config.oidc!.groupsClaim}</span> contains <span className="font-mono text-xs">{group}</span> → {role}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    "No groups are mapped"
                  )}
                  <p className="mt-1 text-slate-600">
                    {config.oidc.defaultRole ? `Everyone else from the provider signs in as ${config.oidc.defaultRole}.` : "People in no mapped group cannot sign in."}
                  </p>
                </Row>
              </>
            ) : null}
            <Row label="Session lifetime">
              {hours(config.sessionMaxAgeSeconds)} from sign-in, or {minutes(config.sessionIdleSeconds)} without a request. Signing out, disabling a user or resetting their password ends their sessions at once. No AWS session outlives the console session that asked for it.
            </Row>
            <Row label="Recent sign-in">Creating roles and changing trust policies need a sign-in (or the password again) from the last 15 minutes.</Row>
            <Row label="Failed sign-ins">
              At most {rate(config.rateLimits.signInPerIp).replace(" per ", " attempts per ")} from one address. After {config.rateLimits.signInDelayAfter} wrong passwords in a row, an account&apos;s next attempt waits 1 s, 2 s, 4 s… up to {minutes(config.rateLimits.signInMaxDelaySeconds)}; an administrator can clear it on the Users page.
            </Row>
          </dl>
        </Card>

        <Card>
          <CardHeader title="Limits and guardrails" description="Set through the environment; every refusal is answered with HTTP 429 and written to the audit log." />
          <dl className="divide-y divide-slate-100" data-testid="limits">
            <Row label="Switches per person">{rate(config.rateLimits.switch)}</Row>
            <Row label="STS calls, whole console">{rate(config.rateLimits.sts)}, kept below the broker account&apos;s STS quota, which AWS does not raise</Row>
            <Row label="Credential cache">
              {config.credentialCache
                ? "On: a repeat switch reuses the AWS credentials this console already issued to the same person for the same role, held in memory only, until 5 minutes before they expire. A revocation, a removed grant, a changed role entry, signing out or being disabled ends them at once, on every instance."
                : "Off: every switch calls AssumeRole (SWITCHBOARD_CREDENTIAL_CACHE=false)."}
            </Row>
            <Row label="Background re-test of roles">
              <span data-testid="role-health-interval" className="[overflow-wrap:anywhere]">
                {config.roleHealth.intervalSeconds === null
                  ? "Off (SWITCHBOARD_ROLE_HEALTH_INTERVAL=off): a role entry is tested when it is registered, when an administrator tests it, and by every switch into it."
                  : `Every role entry is tested again every ${interval(config.roleHealth.intervalSeconds)}, at most ${rate(config.roleHealth.rate)} (one AssumeRole each, within the STS calls above), in a session named ${HEALTH_CHECK_SESSION_NAME}. One instance runs each round.`}
              </span>
            </Row>
            <Row label="Permissions boundary">
              {config.provisioning.permissionsBoundaryArn ? (
                <span>
                  Every role the wizard creates carries <span className="font-mono text-xs break-all">{config.provisioning.permissionsBoundaryArn}</span>
                </span>
              ) : (
                "None required"
              )}
            </Row>
            <Row label="Administrator rights for outside trust">
              {config.provisioning.allowPrivilegedExternalTrust ? "Allowed (a warning in the wizard)" : "Refused: a role trusted from outside the organization cannot get administrator-level permissions"}
            </Row>
          </dl>
        </Card>

        <Card>
          <CardHeader title="Environment" />
          <dl className="divide-y divide-slate-100">
            <Row label="AWS">
              {config.aws.sandboxUrl ? (
                <span>
                  <Badge tone="amber">Sandbox</Badge> <span className="ml-1">the local sandbox at </span>
                  <span className="font-mono text-xs">{config.aws.sandboxUrl}</span>, not real AWS
                </span>
              ) : (
                "Real AWS"
              )}
            </Row>
            <Row label="Default region">
              <span className="font-mono">{config.aws.region}</span>
            </Row>
            <Row label="Store">
              {/* The file's place on the server is for those who run the console (administrators). */}
              {config.database.dialect === "sqlite"
                ? `SQLite${hasPermission(actor, "users.manage") ? ` (${config.database.path})` : ""}, for a single instance`
                : "PostgreSQL, shared by every console instance"}
            </Row>
          </dl>
        </Card>
      </div>
    </>
  );
}
