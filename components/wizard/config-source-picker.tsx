"use client";

import { useId } from "react";
import { CREDENTIAL_SOURCE_TEXT } from "@/lib/aws/credential-formats";
import { CONFIG_SOURCE_CHOICES, type ConfigSourceChoice } from "./config-source";

const SOURCE_PROFILE = {
  label: "Your own profile (source_profile)",
  when: "For a person at a terminal: the AWS CLI assumes the role with the credentials of a profile you already have, here default.",
};

const textOf = (choice: ConfigSourceChoice) => (choice === "source_profile" ? SOURCE_PROFILE : CREDENTIAL_SOURCE_TEXT[choice]);

/** The four ways a ~/.aws/config profile gets the credentials that assume the role, as radio
 * buttons with a sentence each on when to use it. */
export function ConfigSourcePicker({ value, onChange, testIdPrefix }: { value: ConfigSourceChoice; onChange: (choice: ConfigSourceChoice) => void; testIdPrefix: string }) {
  const legend = useId();
  return (
    <fieldset className="space-y-2" aria-labelledby={legend}>
      <legend id={legend} className="mb-1 text-sm font-medium text-slate-700">
        Where the profile gets the credentials that assume the role
      </legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {CONFIG_SOURCE_CHOICES.map((choice) => (
          <label
            key={choice}
            className={`flex items-start gap-2 rounded-md border px-3 py-2 text-sm text-slate-700 ${value === choice ? "border-indigo-300 bg-indigo-50" : "border-slate-200"}`}
          >
            <input
              type="radio"
              name={`${legend}-source`}
              value={choice}
              checked={value === choice}
              onChange={() => onChange(choice)}
              data-testid={`${testIdPrefix}${choice}`}
              className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600"
            />
            <span className="min-w-0">
              <span className="font-medium text-slate-900">{textOf(choice).label}</span>
              <span className="block text-slate-600">{textOf(choice).when}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
