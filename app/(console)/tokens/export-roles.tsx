"use client";

import { Download } from "lucide-react";
import { useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, Input, Select } from "@/components/ui/field";
import {
  aesrExport,
  awsConfigExport,
  CONFIG_STYLES,
  CREDENTIAL_SOURCES,
  isProfileName,
  type ConfigExport,
  type ConfigOptions,
  type ConfigStyle,
  type CredentialSource,
  type ExportRole,
} from "@/lib/catalog/config-export";

const STYLE_TEXT: Record<ConfigStyle, { name: string; about: string }> = {
  credential_process: { name: "Switchboard command line", about: "Each profile asks the switchboard command for credentials (credential_process). Works for every role; needs the command line, signed in." },
  source_profile: { name: "Another profile of yours", about: "Each profile assumes its role with the credentials of a profile you already have (source_profile)." },
  credential_source: { name: "Where the command runs", about: "Each profile assumes its role with an EC2 instance's or ECS task's role, or the environment's credentials (credential_source)." },
};

const SOURCE_TEXT: Record<CredentialSource, string> = {
  Ec2InstanceMetadata: "EC2 instance profile (Ec2InstanceMetadata)",
  EcsContainer: "ECS task role (EcsContainer)",
  Environment: "Environment variables (Environment)",
};

/** Saves `text` as a file the browser downloads. Not text/plain: Chromium would add ".txt" to "config". */
function download(text: string, filename: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/octet-stream" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has been handled: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The file's text in a box of its own that scrolls, with Copy and Download above it. */
function Preview({ text, title, filename, testId }: { text: string | null; title: string; filename: string; testId: string }) {
  return (
    <div className="overflow-hidden rounded-md border border-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5">
        <span className="font-mono text-xs text-slate-600">{title}</span>
        <span className="flex flex-wrap items-center gap-2">
          <CopyButton text={text ?? ""} label="Copy" variant="secondary" disabled={text === null} testId={`${testId}-copy`} />
          <Button size="sm" variant="secondary" disabled={text === null} onClick={() => text !== null && download(text, filename)} data-testid={`${testId}-download`}>
            <Download className="h-4 w-4" aria-hidden />
            Download
          </Button>
        </span>
      </div>
      {/* Scrolled rather than wrapped: a config line means what it says only on one line. Focusable,
          so that the keyboard can scroll it. */}
      <pre
        tabIndex={0}
        aria-label={`${title}, preview`}
        data-testid={`${testId}-preview`}
        className="max-h-80 overflow-auto bg-white p-3 font-mono text-xs leading-5 text-slate-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500/50 focus-visible:ring-inset"
      >
        <code>{text ?? ""}</code>
      </pre>
    </div>
  );
}

/** The roles left out of an export, and why. */
function Skipped({ result, testId }: { result: ConfigExport; testId: string }) {
  if (!result.skipped.length) return null;
  return (
    <div className="text-sm text-slate-700" data-testid={testId}>
      <p className="font-medium text-slate-900">
        Not in this file ({result.skipped.length} role{result.skipped.length === 1 ? "" : "s"})
      </p>
      <ul className="mt-1 list-disc space-y-1 pl-5">
        {result.skipped.map(({ entry, reason }) => (
          <li key={entry.id} className="[overflow-wrap:anywhere]">
            <span className="font-medium">{entry.path}</span> <span className="text-slate-500">({entry.accountId})</span>: {reason}.
          </li>
        ))}
      </ul>
    </div>
  );
}

function AwsConfigCard({ roles, sessionName }: { roles: ExportRole[]; sessionName: string }) {
  const [style, setStyle] = useState<ConfigStyle>("credential_process");
  const [sourceProfile, setSourceProfile] = useState("default");
  const [credentialSource, setCredentialSource] = useState<CredentialSource>("Ec2InstanceMetadata");
  const legend = useId();
  const profileOk = isProfileName(sourceProfile);
  const result = useMemo(() => {
    const options: ConfigOptions | null =
      style === "credential_process"
        ? { style }
        : style === "source_profile"
          ? profileOk
            ? { style, sourceProfile, sessionName }
            : null
          : { style, credentialSource, sessionName };
    return options ? awsConfigExport(roles, options) : null;
  }, [roles, style, sourceProfile, profileOk, credentialSource, sessionName]);

  return (
    <Card className="min-w-0">
      <CardHeader title="AWS config file" description={`${roles.length === 1 ? "A profile for your role" : `A profile for each of your ${roles.length} roles`}, for the AWS CLI and SDKs (~/.aws/config).`} />
      <div className="space-y-4 px-5 py-4">
        <fieldset className="space-y-2" aria-labelledby={legend}>
          <legend id={legend} className="mb-1 text-sm font-medium text-slate-700">
            Where each profile gets its credentials
          </legend>
          {CONFIG_STYLES.map((value) => (
            <label key={value} className="flex items-start gap-2 text-sm text-slate-700">
              <input
                type="radio"
                name="export-style"
                value={value}
                checked={style === value}
                onChange={() => setStyle(value)}
                data-testid={`export-style-${value}`}
                className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600"
              />
              <span>
                <span className="font-medium text-slate-900">{STYLE_TEXT[value].name}</span>
                <span className="block text-slate-500">{STYLE_TEXT[value].about}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {style === "source_profile" ? (
          <Field
            label="Source profile"
            htmlFor="export-source-profile"
            hint="The profile in your AWS config that holds your own credentials."
            error={profileOk ? undefined : "A profile name: letters, digits and _ . @ + = , : - only, at most 64."}
          >
            <Input
              id="export-source-profile"
              data-testid="export-source-profile"
              value={sourceProfile}
              onChange={(e) => setSourceProfile(e.target.value)}
              maxLength={64}
              spellCheck={false}
              autoComplete="off"
              invalid={!profileOk}
              aria-describedby={profileOk ? "export-source-profile-hint" : "export-source-profile-error"}
              className="font-mono sm:max-w-64"
            />
          </Field>
        ) : null}
        {style === "credential_source" ? (
          <Field label="Credential source" htmlFor="export-credential-source">
            <Select
              id="export-credential-source"
              data-testid="export-credential-source"
              value={credentialSource}
              onChange={(e) => setCredentialSource(e.target.value as CredentialSource)}
              className="sm:max-w-80"
            >
              {CREDENTIAL_SOURCES.map((value) => (
                <option key={value} value={value}>
                  {SOURCE_TEXT[value]}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        {style !== "credential_process" ? (
          <p className="text-sm text-slate-600">
            Sessions are named <span className="font-mono text-slate-800 [overflow-wrap:anywhere]">{sessionName}</span> (role_session_name), as the console names yours.
          </p>
        ) : null}
        <Preview text={result?.text ?? null} title="~/.aws/config" filename="config" testId="export-config" />
        {result ? <Skipped result={result} testId="export-config-skipped" /> : null}
      </div>
    </Card>
  );
}

function AesrCard({ roles }: { roles: ExportRole[] }) {
  const result = useMemo(() => aesrExport(roles), [roles]);
  return (
    <Card className="min-w-0">
      <CardHeader
        title="AWS Extend Switch Roles"
        description="For the browser extension: paste it into its Configuration to switch into your roles from the AWS console, each in its colour."
      />
      <div className="space-y-4 px-5 py-4">
        <Preview text={result.text} title="aesr-config.txt" filename="aesr-config.txt" testId="export-aesr" />
        <Skipped result={result} testId="export-aesr-skipped" />
      </div>
    </Card>
  );
}

/** "Export your roles": the roles the person may switch into, as an AWS config file and as AWS
 * Extend Switch Roles' configuration, built in the browser from what the page was given. */
export function ExportRoles({ roles, sessionName }: { roles: ExportRole[]; sessionName: string }) {
  const title = useId();
  return (
    <section aria-labelledby={title} className="space-y-3" data-testid="export-roles">
      <div>
        <h2 id={title} className="text-lg font-semibold text-slate-900">
          Export your roles
        </h2>
        <p className="text-sm text-slate-600">Your roles as configuration for other tools. Export again after your grants change.</p>
      </div>
      {roles.length ? (
        <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
          <AwsConfigCard roles={roles} sessionName={sessionName} />
          <AesrCard roles={roles} />
        </div>
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-8 text-center text-sm text-slate-600">No roles are granted to you yet, so there is nothing to export.</p>
      )}
    </section>
  );
}
