"use client";

import { Dices } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { generateExternalId } from "@/components/registry/external-id";
import { REGIONS } from "@/lib/aws/partitions";
import { formatDuration } from "@/components/registry/format";
import type { Partition } from "@/lib/domain/partitions";

export const ROLE_OPTION_FIELDS = ["displayName", "color", "defaultRegion", "sessionDuration", "externalId", "sourceIdentity", "description"] as const;

export type RoleOptions = {
  displayName: string;
  /** null: the account's colour. */
  color: string | null;
  /** null: the account's default region. */
  defaultRegion: string | null;
  /** Seconds; null: AssumeRole's default of one hour. */
  sessionDuration: number | null;
  externalId: string | null;
  sourceIdentity: boolean;
  description: string;
};

/** Reads the fields below back from their form. */
export function readRoleOptions(form: FormData): RoleOptions {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const hours = text("durationHours");
  const minutes = text("durationMinutes");
  return {
    displayName: text("displayName"),
    color: form.get("useAccountColor") ? null : text("color") || null,
    defaultRegion: text("defaultRegion") || null,
    sessionDuration: hours === "" && minutes === "" ? null : Math.round((Number(hours) || 0) * 3600 + (Number(minutes) || 0) * 60),
    externalId: text("externalId") || null,
    sourceIdentity: form.get("sourceIdentity") !== null,
    description: String(form.get("description") ?? ""),
  };
}

/** The options of a role entry, shared by the Add and Edit dialogs. */
export function RoleOptionsFields({
  initial,
  account,
  displayNamePlaceholder,
  roleMax = null,
  error,
}: {
  initial: RoleOptions;
  /** The account's colour, default region and partition (what "the account's" means). */
  account: { color: string; defaultRegion: string; partition: Partition } | null;
  displayNamePlaceholder?: string;
  /** The IAM role's own MaxSessionDuration, when AWS has reported it; null: not known. */
  roleMax?: number | null;
  error: (field: string) => string | undefined;
}) {
  const [useAccountColor, setUseAccountColor] = useState(initial.color === null);
  const [color, setColor] = useState(initial.color ?? account?.color ?? "#475569");
  const [externalId, setExternalId] = useState(initial.externalId ?? "");
  const regions = REGIONS[account?.partition ?? "aws"];
  const duration = initial.sessionDuration;
  const [hours, setHours] = useState(duration === null ? "" : String(Math.floor(duration / 3600)));
  const [minutes, setMinutes] = useState(duration === null ? "" : String(Math.round((duration % 3600) / 60)));
  const asked = hours === "" && minutes === "" ? null : Math.round((Number(hours) || 0) * 3600 + (Number(minutes) || 0) * 60);
  // AssumeRole refuses a DurationSeconds above the role's MaxSessionDuration:
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (DurationSeconds)
  const overRoleMax = roleMax !== null && asked !== null && asked > roleMax;
  return (
    <div className="space-y-4">
      <Field label="Display name" htmlFor="role-display-name" hint="What the Switch Role menu shows; the role name when empty." error={error("displayName")}>
        <Input id="role-display-name" name="displayName" autoComplete="off" defaultValue={initial.displayName} placeholder={displayNamePlaceholder} invalid={Boolean(error("displayName"))} />
      </Field>
      <div className="grid grid-cols-2 gap-4">
        <Field label="Default region" htmlFor="role-region" error={error("defaultRegion")}>
          <Select id="role-region" name="defaultRegion" defaultValue={initial.defaultRegion ?? ""}>
            <option value="">{account ? `The account's (${account.defaultRegion})` : "The account's"}</option>
            {initial.defaultRegion && !regions.some((r) => r.code === initial.defaultRegion) ? <option value={initial.defaultRegion}>{initial.defaultRegion}</option> : null}
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} — {r.name}
              </option>
            ))}
          </Select>
        </Field>
        <div className="space-y-1">
          <span className="block text-sm font-medium text-slate-700">Colour</span>
          <div className="flex h-[38px] items-center gap-3">
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name="useAccountColor" checked={useAccountColor} onChange={(e) => setUseAccountColor(e.target.checked)} className="h-4 w-4 accent-indigo-600" />
              The account&apos;s
            </label>
            <label htmlFor="role-color" className="sr-only">
              Colour
            </label>
            <input
              id="role-color"
              name="color"
              type="color"
              value={useAccountColor ? (account?.color ?? color) : color}
              disabled={useAccountColor}
              onChange={(e) => setColor(e.target.value)}
              className="h-9 w-12 cursor-pointer rounded border border-slate-300 bg-white p-0.5 disabled:cursor-not-allowed disabled:opacity-50"
            />
          </div>
          {error("color") ? <p className="text-sm text-red-600">{error("color")}</p> : null}
        </div>
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">Session duration</legend>
        <div className="flex items-center gap-2">
          <label htmlFor="role-duration-hours" className="sr-only">
            Session duration hours
          </label>
          <Input
            id="role-duration-hours"
            name="durationHours"
            type="number"
            min={0}
            max={roleMax !== null ? Math.floor(roleMax / 3600) : 12}
            placeholder="1"
            value={hours}
            onChange={(e) => setHours(e.target.value)}
            className="w-20"
            aria-describedby="role-duration-hint"
            invalid={Boolean(error("sessionDuration")) || overRoleMax}
          />
          <span className="text-sm text-slate-600">h</span>
          <label htmlFor="role-duration-minutes" className="sr-only">
            Session duration minutes
          </label>
          <Input
            id="role-duration-minutes"
            name="durationMinutes"
            type="number"
            min={0}
            max={59}
            step={5}
            placeholder="0"
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            className="w-20"
            aria-describedby="role-duration-hint"
          />
          <span className="text-sm text-slate-600">min</span>
        </div>
        {error("sessionDuration") ? (
          <p id="role-duration-hint" className="text-sm text-red-600">
            {error("sessionDuration")}
          </p>
        ) : overRoleMax ? (
          <p id="role-duration-hint" className="text-sm text-red-600">
            More than this role allows: its maximum session duration in IAM is {formatDuration(roleMax)}, and AWS refuses longer sessions. Choose {formatDuration(roleMax)} or less.
          </p>
        ) : roleMax !== null ? (
          <p id="role-duration-hint" className="text-xs text-slate-500" data-testid="role-duration-hint">
            This role allows sessions of up to <span className="font-medium text-slate-700">{formatDuration(roleMax)}</span> (its maximum session duration in IAM). Empty: 1 hour, AWS&apos;s default. Also capped at 1 hour when the console runs on role credentials.
          </p>
        ) : (
          <p id="role-duration-hint" className="text-xs text-slate-500" data-testid="role-duration-hint">
            15 minutes to 12 hours; empty: 1 hour, AWS&apos;s default. AWS caps it at the role&apos;s maximum session duration (not known to the console yet: it is read when a role is registered from Discover), and at 1 hour when the console runs on role credentials.
          </p>
        )}
      </fieldset>
      <Field label="ExternalId (optional)" htmlFor="role-external-id" hint="Sent with every switch when the role's trust policy requires sts:ExternalId." error={error("externalId")}>
        <div className="flex gap-2">
          <Input
            id="role-external-id"
            name="externalId"
            autoComplete="off"
            spellCheck={false}
            value={externalId}
            onChange={(e) => setExternalId(e.target.value)}
            className="font-mono"
            invalid={Boolean(error("externalId"))}
          />
          <Button variant="secondary" onClick={() => setExternalId(generateExternalId())} title="A random 32-character ExternalId">
            <Dices className="h-4 w-4" aria-hidden />
            Generate
          </Button>
        </div>
      </Field>
      <div className="space-y-1">
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input type="checkbox" name="sourceIdentity" defaultChecked={initial.sourceIdentity} className="mt-0.5 h-4 w-4 accent-indigo-600" />
          <span>
            <span className="font-medium">Set SourceIdentity</span> to the person switching, so CloudTrail shows who it was. The role&apos;s trust policy must allow{" "}
            <span className="font-mono text-xs">sts:SetSourceIdentity</span>.
          </span>
        </label>
        {error("sourceIdentity") ? <p className="text-sm text-red-600">{error("sourceIdentity")}</p> : null}
      </div>
      <Field label="Description (optional)" htmlFor="role-description" error={error("description")}>
        <Textarea id="role-description" name="description" rows={2} defaultValue={initial.description} invalid={Boolean(error("description"))} />
      </Field>
    </div>
  );
}
