"use client";

import { LoaderCircle, Plus, Search, X } from "lucide-react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Alert, Input } from "@/components/ui/field";
import type { ActionAnswer, ManagedPolicyOption } from "./types";
import { fieldId, type FieldErrors } from "./validate";

const DEBOUNCE_MS = 250;
const POLICY_ARN = /^arn:[\w-]+:iam::(?:aws|\d{12}):policy\/\S+$/;
/** The server returns at most this many matches. */
const PAGE = 50;

const policyName = (arn: string) => arn.split("/").pop() ?? arn;

type Results = { query: string; policies: ManagedPolicyOption[] } | { query: string; error: string };

/** Searches the target account's managed policies (AWS-managed and its own) and keeps the chosen
 * ones as chips. A pasted policy ARN can be added as it is. Field keys:
 * permissions.managedPolicyArns(.<i>). */
export function ManagedPolicyPicker({
  accountId,
  selected,
  onChange,
  search,
  errors,
}: {
  accountId: string;
  selected: string[];
  onChange: (arns: string[]) => void;
  search: (input: { accountId: string; query: string }) => Promise<ActionAnswer<ManagedPolicyOption[]>>;
  errors: FieldErrors;
}) {
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<Results | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(0);

  const run = (q: string) => {
    const id = ++latest.current;
    search({ accountId, query: q.trim() }).then(
      (answer) => {
        if (id !== latest.current) return;
        setResults(answer.ok ? { query: q, policies: answer.data } : { query: q, error: answer.error.message });
      },
      () => {
        if (id === latest.current) setResults({ query: q, error: "The console could not be reached. Check your connection and try again." });
      },
    );
  };

  // The first page of policies when the step opens, so there is something to pick from.
  useEffect(() => {
    run("");
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per account (the parent keys this by account)
  }, []);

  const onQuery = (q: string) => {
    setQuery(q);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => run(q), DEBOUNCE_MS);
  };

  const toggle = (arn: string) => onChange(selected.includes(arn) ? selected.filter((a) => a !== arn) : [...selected, arn]);
  const pasted = query.trim();
  const canPaste = POLICY_ARN.test(pasted) && !selected.includes(pasted);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter would submit the step; here it adds a pasted ARN, or does nothing.
    if (e.key !== "Enter") return;
    e.preventDefault();
    if (canPaste) {
      toggle(pasted);
      onQuery("");
    }
  };

  const loading = results === null || results.query !== query;
  const listError = errors["permissions.managedPolicyArns"];
  const searchId = fieldId("permissions.managedPolicyArns.search");

  return (
    <div className="space-y-3">
      <div>
        <h4 className="text-sm font-medium text-slate-700">
          Chosen managed policies <span className="font-normal text-slate-500">({selected.length}; AWS allows 10 per role unless the account&apos;s quota was raised)</span>
        </h4>
        {selected.length ? (
          <ul className="mt-2 flex flex-wrap gap-2" aria-label="Chosen managed policies">
            {selected.map((arn, i) => {
              const error = errors[`permissions.managedPolicyArns.${i}`];
              return (
                <li key={arn} className={`inline-flex max-w-full items-center gap-1 rounded-full py-0.5 pl-3 pr-1 text-sm ring-1 ring-inset ${error ? "bg-red-50 text-red-800 ring-red-300" : "bg-indigo-50 text-indigo-800 ring-indigo-200"}`} title={error ? `${arn}: ${error}` : arn}>
                  <span className="truncate">{policyName(arn)}</span>
                  {arn.includes(":iam::aws:policy/") ? null : <span className="text-xs opacity-70">(customer)</span>}
                  <button type="button" onClick={() => toggle(arn)} className="rounded-full p-0.5 hover:bg-black/10" aria-label={`Remove ${policyName(arn)}`}>
                    <X className="h-3.5 w-3.5" aria-hidden />
                  </button>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="mt-1 text-sm text-slate-500">None yet. Search below, or paste a policy ARN.</p>
        )}
        {Object.entries(errors)
          .filter(([k]) => k.startsWith("permissions.managedPolicyArns."))
          .map(([k, message]) => (
            <p key={k} className="mt-1 text-sm text-red-600">
              {policyName(selected[Number(k.split(".").pop())] ?? "")}: {message}
            </p>
          ))}
        {listError ? <p className="mt-1 text-sm text-red-600">{listError}</p> : null}
      </div>

      <div className="relative">
        <label htmlFor={searchId} className="sr-only">
          Search managed policies
        </label>
        <Search className="pointer-events-none absolute left-2.5 top-2.5 h-4 w-4 text-slate-400" aria-hidden />
        <Input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Search by name or description (ReadOnly, S3, …) or paste an ARN"
          autoComplete="off"
          spellCheck={false}
          className="pl-8"
        />
        {loading ? <LoaderCircle className="absolute right-2.5 top-2.5 h-4 w-4 animate-spin text-slate-400" aria-label="Searching" /> : null}
      </div>

      {canPaste ? (
        <Button
          size="sm"
          variant="secondary"
          onClick={() => {
            toggle(pasted);
            onQuery("");
          }}
        >
          <Plus className="h-4 w-4" aria-hidden />
          Add {policyName(pasted)} by its ARN
        </Button>
      ) : null}

      {results && "error" in results ? (
        <Alert title="The policies could not be listed">{results.error}</Alert>
      ) : results ? (
        results.policies.length ? (
          <div>
            <ul className="max-h-72 divide-y divide-slate-100 overflow-auto rounded-md border border-slate-200 bg-white" aria-label="Managed policies" aria-busy={loading}>
              {results.policies.map((p) => {
                const id = `wz-policy-${p.arn.replace(/[^A-Za-z0-9_-]/g, "-")}`;
                return (
                  <li key={p.arn} className="flex items-start gap-3 px-3 py-2 hover:bg-slate-50">
                    <input id={id} type="checkbox" checked={selected.includes(p.arn)} onChange={() => toggle(p.arn)} className="mt-1 h-4 w-4 shrink-0 accent-indigo-600" />
                    <label htmlFor={id} className="min-w-0 flex-1 cursor-pointer text-sm">
                      <span className="flex flex-wrap items-center gap-2">
                        <span className="font-medium text-slate-900">{p.name}</span>
                        {p.awsManaged ? <Badge tone="slate">AWS managed</Badge> : <Badge tone="violet">Customer managed</Badge>}
                      </span>
                      {p.description ? <span className="block text-xs text-slate-600">{p.description}</span> : null}
                    </label>
                  </li>
                );
              })}
            </ul>
            {results.policies.length >= PAGE ? <p className="mt-1 text-xs text-slate-500">Showing the first {PAGE} matches. Type more of the name to narrow them down.</p> : null}
          </div>
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-600">
            {results.query.trim() ? `No managed policy matches “${results.query.trim()}”.` : "This account has no managed policies to offer."}
          </p>
        )
      ) : null}
    </div>
  );
}
