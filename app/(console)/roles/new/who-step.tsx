"use client";

import { Building2, Cloud, Dices, GitBranch, KeyRound, Plus, Server, ShieldCheck, Trash2, UserRound } from "lucide-react";
import { useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import { Checkbox } from "@/components/wizard/checkbox";
import type { WizardContext } from "@/components/wizard/types";
import { fieldId, isAccountId, type FieldErrors } from "@/components/wizard/validate";
import { generateExternalId } from "@/lib/provision/schema";
import { githubSubject } from "@/lib/provision/trust";
import type { TrustConditions, TrustedEntity, WizardDocument } from "@/lib/provision/types";

type Kind = TrustedEntity["kind"];
type GithubRef = Extract<TrustedEntity, { kind: "github" }>["ref"];

const KINDS: Record<Kind, { title: string; icon: typeof Cloud; add: string }> = {
  broker: { title: "This console (Switchboard)", icon: ShieldCheck, add: "This console (Switchboard)" },
  account: { title: "AWS account", icon: Building2, add: "AWS account" },
  principal: { title: "Specific role or user", icon: UserRound, add: "Role or user ARN" },
  service: { title: "AWS service", icon: Server, add: "AWS service" },
  github: { title: "GitHub Actions", icon: GitBranch, add: "GitHub Actions" },
  oidc: { title: "OIDC provider", icon: KeyRound, add: "Other OIDC provider" },
  saml: { title: "SAML provider", icon: KeyRound, add: "SAML provider" },
};

const ADDABLE: Kind[] = ["account", "principal", "service", "github", "oidc", "saml"];

function blank(kind: Kind): TrustedEntity {
  switch (kind) {
    case "broker":
      return { kind };
    case "account":
      return { kind, accountId: "" };
    case "principal":
      return { kind, arn: "" };
    case "service":
      return { kind, service: "" };
    case "github":
      return { kind, owner: "", repo: "", ref: { type: "branch", name: "main" } };
    case "oidc":
      return { kind, providerArn: "", audience: "", subject: "" };
    case "saml":
      return { kind, providerArn: "" };
  }
}

/** The control to focus when an entity is added. */
function firstField(e: TrustedEntity): string | null {
  switch (e.kind) {
    case "broker":
      return null;
    case "account":
      return "accountId";
    case "principal":
      return "arn";
    case "service":
      return "service";
    case "github":
      return "owner";
    case "oidc":
    case "saml":
      return "providerArn";
  }
}

/** GitHub's `sub` claim for a workflow run, as the trust policy will match it. */
/** The subject the trust policy will require, with placeholders for what is not typed yet. */
function subjectPreview(owner: string, repo: string, ref: GithubRef): string {
  const placeholder = ref.type === "pull_request" ? ref : { type: ref.type, name: ref.name.trim() || ref.type.toUpperCase() };
  return githubSubject({ kind: "github", owner: owner.trim() || "OWNER", repo: repo.trim() || "REPO", ref: placeholder });
}

const isAwsPrincipal = (e: TrustedEntity) => e.kind === "broker" || e.kind === "account" || e.kind === "principal";

/** Step 2: who may assume the role, and the conditions on AWS principals. */
export function WhoStep({ doc, context, errors, onChange }: { doc: WizardDocument; context: WizardContext; errors: FieldErrors; onChange: (doc: WizardDocument) => void }) {
  const entities = doc.trust.entities;
  const conditions = doc.trust.conditions;
  // Stable keys, so that removing an entity does not hand its neighbour's inputs to another one.
  const [keys, setKeys] = useState(() => entities.map((_, i) => `e${i}`));
  const counter = useRef(entities.length);

  const setEntities = (next: TrustedEntity[]) => onChange({ ...doc, trust: { ...doc.trust, entities: next } });
  const setConditions = (next: TrustConditions) => onChange({ ...doc, trust: { ...doc.trust, conditions: next } });

  const add = (kind: Kind) => {
    const entity = blank(kind);
    const index = entities.length;
    setEntities([...entities, entity]);
    setKeys([...keys.slice(0, index), `e${counter.current++}`]);
    const field = firstField(entity);
    requestAnimationFrame(() => document.getElementById(field ? fieldId(`trust.entities.${index}.${field}`) : `trusted-entity-${index}-title`)?.focus());
  };
  const remove = (i: number) => {
    setEntities(entities.filter((_, j) => j !== i));
    setKeys(keys.filter((_, j) => j !== i));
    requestAnimationFrame(() => document.getElementById("wz-add-entity")?.focus());
  };
  const replace = (i: number, entity: TrustedEntity) => setEntities(entities.map((e, j) => (j === i ? entity : e)));

  const hasBroker = entities.some((e) => e.kind === "broker");
  const awsPrincipals = entities.some(isAwsPrincipal);
  const listError = errors["trust.entities"];

  const condition = (key: keyof TrustConditions, value: TrustConditions[keyof TrustConditions] | undefined) => {
    const next: TrustConditions = { ...conditions };
    if (value === undefined) delete next[key];
    else Object.assign(next, { [key]: value });
    setConditions(next);
  };

  return (
    <div className="space-y-6">
      <section aria-labelledby="wz-entities-title" className="space-y-3">
        <div>
          <h3 id="wz-entities-title" className="text-sm font-semibold text-slate-900">
            Trusted entities
          </h3>
          <p className="text-sm text-slate-600">Everyone listed here may assume the role. Each one becomes a statement of the trust policy.</p>
        </div>
        {entities.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-6 text-center text-sm text-slate-600">Nobody may assume the role yet: add who may, below.</p>
        ) : (
          <ol className="space-y-3">
            {entities.map((entity, i) => (
              <EntityCard key={keys[i] ?? `x${i}`} index={i} entity={entity} context={context} doc={doc} errors={errors} onChange={(e) => replace(i, e)} onRemove={() => remove(i)} />
            ))}
          </ol>
        )}
        {listError ? <p className="text-sm text-red-600">{listError}</p> : null}
        <div role="group" aria-labelledby="wz-add-entity-label" className="flex flex-wrap items-center gap-2">
          <span id="wz-add-entity-label" className="text-sm font-medium text-slate-700">
            Add:
          </span>
          {!hasBroker ? (
            <Button size="sm" variant="secondary" onClick={() => add("broker")}>
              <Plus className="h-4 w-4" aria-hidden />
              {KINDS.broker.add}
            </Button>
          ) : null}
          {ADDABLE.map((kind, n) => (
            <Button key={kind} id={n === 0 ? "wz-add-entity" : undefined} size="sm" variant="secondary" onClick={() => add(kind)} disabled={entities.length >= 20}>
              <Plus className="h-4 w-4" aria-hidden />
              {KINDS[kind].add}
            </Button>
          ))}
        </div>
      </section>

      <fieldset className="space-y-4 rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold text-slate-900">Conditions</legend>
        <p className="-mt-2 text-sm text-slate-600">
          {awsPrincipals
            ? "They apply to the AWS principals above (this console, accounts, roles and users); services and identity providers have their own conditions."
            : "They apply to AWS principals (this console, accounts, roles and users), and the role trusts none of those yet."}
        </p>

        <div className="space-y-2">
          <Checkbox
            id="wz-require-external-id"
            checked={conditions.externalId !== undefined}
            onChange={(on) => condition("externalId", on ? "" : undefined)}
            label="Require an ExternalId"
          >
            Callers must send this value with AssumeRole. Use it when a third party assumes roles for many customers. Switchboard sends it with every switch; the AWS console&apos;s own Switch Role cannot use such roles.
          </Checkbox>
          {conditions.externalId !== undefined ? (
            <div className="ml-6">
              <Field label="ExternalId" htmlFor={fieldId("trust.conditions.externalId")} error={errors["trust.conditions.externalId"]} hint="2–1224 letters, digits and + = , . @ : / _ -. Not a secret, but unique per customer.">
                <div className="flex gap-2">
                  <Input
                    id={fieldId("trust.conditions.externalId")}
                    value={conditions.externalId}
                    onChange={(e) => condition("externalId", e.target.value)}
                    autoComplete="off"
                    spellCheck={false}
                    className="font-mono"
                    invalid={Boolean(errors["trust.conditions.externalId"])}
                  />
                  <Button variant="secondary" onClick={() => condition("externalId", generateExternalId())} title="A random ExternalId: 32 letters and digits">
                    <Dices className="h-4 w-4" aria-hidden />
                    Generate
                  </Button>
                </div>
              </Field>
            </div>
          ) : null}
        </div>

        <div className="space-y-2">
          <Checkbox id="wz-require-mfa" checked={Boolean(conditions.requireMfa)} onChange={(on) => condition("requireMfa", on ? true : undefined)} label="Require MFA">
            Only sessions signed in with MFA (aws:MultiFactorAuthPresent). Callers using access keys must pass their MFA device and code.
          </Checkbox>
          {conditions.requireMfa && hasBroker ? (
            <p className="ml-6 text-sm text-amber-800" data-testid="wz-mfa-broker-warning">
              This console&apos;s own identity cannot present MFA, so switching into this role through Switchboard would be refused.
            </p>
          ) : null}
        </div>

        <div className="space-y-2">
          <Checkbox
            id="wz-require-org"
            checked={conditions.organizationId !== undefined}
            onChange={(on) => condition("organizationId", on ? "" : undefined)}
            label="Only principals of my AWS Organization"
          >
            Adds aws:PrincipalOrgID, so an account that leaves the organization loses access.
          </Checkbox>
          {conditions.organizationId !== undefined ? (
            <div className="ml-6 max-w-sm">
              <Field label="Organization ID" htmlFor={fieldId("trust.conditions.organizationId")} error={errors["trust.conditions.organizationId"]} hint="o- then 10–32 lower-case letters or digits.">
                <Input
                  id={fieldId("trust.conditions.organizationId")}
                  value={conditions.organizationId}
                  onChange={(e) => condition("organizationId", e.target.value)}
                  placeholder="o-a1b2c3d4e5"
                  autoComplete="off"
                  spellCheck={false}
                  className="font-mono"
                  invalid={Boolean(errors["trust.conditions.organizationId"])}
                />
              </Field>
            </div>
          ) : null}
        </div>
      </fieldset>
    </div>
  );
}

function EntityCard({
  index,
  entity,
  context,
  doc,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  entity: TrustedEntity;
  context: WizardContext;
  doc: WizardDocument;
  errors: FieldErrors;
  onChange: (entity: TrustedEntity) => void;
  onRemove: () => void;
}) {
  const kind = KINDS[entity.kind];
  const Icon = kind.icon;
  const key = (field: string) => `trust.entities.${index}.${field}`;
  const id = (field: string) => fieldId(key(field));
  const err = (field: string) => errors[key(field)];
  // Messages about the entity as a whole (its kind), or about fields this card has no control for.
  const general = errors[`trust.entities.${index}`] ?? errors[key("kind")];

  let body: ReactNode;
  switch (entity.kind) {
    case "broker":
      body = (
        <div className="space-y-1 text-sm text-slate-600">
          <p>
            The console&apos;s own AWS identity, <span className="font-mono text-xs text-slate-800 [overflow-wrap:anywhere]">{context.broker.arn}</span>. People you grant the role to switch into it from the
            header; the trust also allows sts:SetSourceIdentity, so CloudTrail shows who switched.
          </p>
          {context.broker.temporary ? <p className="text-amber-800">The console runs on temporary credentials, so these sessions last at most 1 hour (role chaining).</p> : null}
        </div>
      );
      break;
    case "account": {
      const registered = context.accounts.find((a) => a.accountId === entity.accountId.trim());
      const same = entity.accountId.trim() === doc.target.accountId;
      body = (
        <div className="space-y-2">
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Account ID" htmlFor={id("accountId")} error={err("accountId")}>
              <Input
                id={id("accountId")}
                value={entity.accountId}
                onChange={(e) => onChange({ ...entity, accountId: e.target.value })}
                inputMode="numeric"
                placeholder="123456789012"
                autoComplete="off"
                className="font-mono"
                invalid={Boolean(err("accountId"))}
              />
            </Field>
            <Field label="Or pick a registered account" htmlFor={id("accountPick")}>
              <Select id={id("accountPick")} value={registered ? registered.accountId : ""} onChange={(e) => e.target.value && onChange({ ...entity, accountId: e.target.value })}>
                <option value="">{registered ? "—" : "Registered accounts…"}</option>
                {context.accounts.map((a) => (
                  <option key={a.accountId} value={a.accountId}>
                    {a.name} — {a.accountId}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <p className="text-xs text-slate-500">
            {same
              ? "The role's own account: principals in it whose own policies allow sts:AssumeRole on the role may assume it."
              : registered
                ? `${registered.name}: any principal there whose own policies allow sts:AssumeRole on the role. Review shows that policy, and can attach it for you.`
                : isAccountId(entity.accountId.trim())
                  ? "Not registered in the console: Review shows the policy its administrators must attach to whoever should assume the role."
                  : "Its administrators decide who may assume the role, by allowing sts:AssumeRole on it."}
          </p>
        </div>
      );
      break;
    }
    case "principal":
      body = (
        <Field
          label="Role or user ARN"
          htmlFor={id("arn")}
          error={err("arn")}
          hint="IAM stores the principal's unique id: if it is deleted and created again, it must be trusted again."
        >
          <Input
            id={id("arn")}
            value={entity.arn}
            onChange={(e) => onChange({ ...entity, arn: e.target.value })}
            placeholder="arn:aws:iam::333333333333:role/JenkinsRole"
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            invalid={Boolean(err("arn"))}
          />
        </Field>
      );
      break;
    case "service":
      body = (
        <div className="space-y-2">
          <Field label="Service" htmlFor={id("service")} error={err("service")}>
            <Select
              id={id("service")}
              value={entity.service}
              onChange={(e) => onChange({ ...entity, service: e.target.value })}
              aria-invalid={Boolean(err("service")) || undefined}
              aria-describedby={err("service") ? `${id("service")}-error` : undefined}
            >
              <option value="">Choose a service…</option>
              {context.services.map((s) => (
                <option key={s.principal} value={s.principal}>
                  {s.label} — {s.principal}
                </option>
              ))}
              {entity.service && !context.services.some((s) => s.principal === entity.service) ? <option value={entity.service}>{entity.service}</option> : null}
            </Select>
          </Field>
          {entity.service === "ec2.amazonaws.com" ? (
            <p className="rounded-md bg-sky-50 px-3 py-2 text-xs text-sky-900" data-testid="wz-ec2-note">
              EC2 instances use a role through an <strong>instance profile</strong>: one with the same name and path is created with the role. Whoever launches instances with it needs
              iam:PassRole on the role.
            </p>
          ) : null}
        </div>
      );
      break;
    case "github": {
      const ref = entity.ref;
      const setRef = (next: GithubRef) => onChange({ ...entity, ref: next });
      const refName = "name" in ref ? ref.name : "";
      body = (
        <div className="space-y-3">
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="GitHub owner" htmlFor={id("owner")} error={err("owner")} hint="The organization or user.">
              <Input id={id("owner")} value={entity.owner} onChange={(e) => onChange({ ...entity, owner: e.target.value })} placeholder="my-org" autoComplete="off" spellCheck={false} invalid={Boolean(err("owner"))} />
            </Field>
            <Field label="Repository" htmlFor={id("repo")} error={err("repo")}>
              <Input id={id("repo")} value={entity.repo} onChange={(e) => onChange({ ...entity, repo: e.target.value })} placeholder="deploy-scripts" autoComplete="off" spellCheck={false} invalid={Boolean(err("repo"))} />
            </Field>
          </div>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Which runs" htmlFor={id("ref.type")} error={err("ref.type") ?? err("ref")}>
              <Select
                id={id("ref.type")}
                value={ref.type}
                onChange={(e) => {
                  const type = e.target.value as GithubRef["type"];
                  setRef(type === "pull_request" ? { type } : { type, name: refName || (type === "branch" ? "main" : "") });
                }}
              >
                <option value="branch">A branch</option>
                <option value="tag">A tag</option>
                <option value="environment">A deployment environment</option>
                <option value="pull_request">Pull requests</option>
              </Select>
            </Field>
            {ref.type !== "pull_request" ? (
              <Field label={ref.type === "branch" ? "Branch name" : ref.type === "tag" ? "Tag name" : "Environment name"} htmlFor={id("ref.name")} error={err("ref.name")}>
                <Input
                  id={id("ref.name")}
                  value={ref.name}
                  onChange={(e) => setRef({ ...ref, name: e.target.value })}
                  placeholder={ref.type === "branch" ? "main" : ref.type === "tag" ? "v1.2.3" : "production"}
                  autoComplete="off"
                  spellCheck={false}
                  invalid={Boolean(err("ref.name"))}
                />
              </Field>
            ) : null}
          </div>
          <p className="text-xs text-slate-500">
            Tokens must carry <span className="font-mono text-slate-700 [overflow-wrap:anywhere]">{subjectPreview(entity.owner, entity.repo, ref)}</span>
            {ref.type === "environment" ? ". Jobs that use an environment get this subject instead of their branch's." : "."} The account&apos;s GitHub OIDC provider is created first if it has none
            (Review says).
          </p>
        </div>
      );
      break;
    }
    case "oidc":
      body = (
        <div className="space-y-3">
          <Field label="OIDC provider ARN" htmlFor={id("providerArn")} error={err("providerArn")} hint="An identity provider that already exists in the role's account.">
            <Input
              id={id("providerArn")}
              value={entity.providerArn}
              onChange={(e) => onChange({ ...entity, providerArn: e.target.value })}
              placeholder={`arn:aws:iam::${doc.target.accountId || "123456789012"}:oidc-provider/oidc.example.com`}
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              invalid={Boolean(err("providerArn"))}
            />
          </Field>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Audience" htmlFor={id("audience")} error={err("audience")} hint="The client ID the tokens are issued for (aud).">
              <Input id={id("audience")} value={entity.audience} onChange={(e) => onChange({ ...entity, audience: e.target.value })} autoComplete="off" spellCheck={false} invalid={Boolean(err("audience"))} />
            </Field>
            <Field label="Subject (optional)" htmlFor={id("subject")} error={err("subject")} hint="Only tokens with this sub; * and ? make it a pattern.">
              <Input
                id={id("subject")}
                value={entity.subject ?? ""}
                onChange={(e) => onChange({ ...entity, subject: e.target.value })}
                autoComplete="off"
                spellCheck={false}
                invalid={Boolean(err("subject"))}
              />
            </Field>
          </div>
        </div>
      );
      break;
    case "saml":
      body = (
        <Field label="SAML provider ARN" htmlFor={id("providerArn")} error={err("providerArn")} hint="A SAML identity provider that already exists in the role's account.">
          <Input
            id={id("providerArn")}
            value={entity.providerArn}
            onChange={(e) => onChange({ ...entity, providerArn: e.target.value })}
            placeholder={`arn:aws:iam::${doc.target.accountId || "123456789012"}:saml-provider/MyIdP`}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            invalid={Boolean(err("providerArn"))}
          />
        </Field>
      );
      break;
  }

  return (
    <li className="rounded-md border border-slate-200 bg-slate-50/50 p-4" data-testid={`trusted-entity-${index}`} data-kind={entity.kind}>
      <div className="mb-3 flex items-center justify-between gap-3">
        <h4 id={`trusted-entity-${index}-title`} tabIndex={-1} className="flex items-center gap-2 text-sm font-semibold text-slate-900 focus:outline-none">
          <Icon className="h-4 w-4 text-slate-500" aria-hidden />
          {index + 1}. {kind.title}
        </h4>
        <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" onClick={onRemove} aria-label={`Remove trusted entity ${index + 1}`}>
          <Trash2 className="h-4 w-4" aria-hidden />
          Remove
        </Button>
      </div>
      {general ? (
        <div className="mb-3">
          <Alert>{general}</Alert>
        </div>
      ) : null}
      {body}
    </li>
  );
}
