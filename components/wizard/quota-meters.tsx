import type { QuotaUsage } from "./types";

const BAR = { ok: "bg-indigo-500", near: "bg-amber-500", over: "bg-red-600" } as const;
const TEXT = { ok: "text-slate-600", near: "text-amber-800", over: "text-red-700" } as const;

/** The review step's size meters: how much of the target account's IAM quotas the role takes
 * (from GetAccountSummary), so a policy that would hit LimitExceeded shows before Create. */
export function QuotaMeters({ usage, accountName }: { usage: QuotaUsage; accountName: string }) {
  const meters: Array<{ key: keyof QuotaUsage; label: string; unit: string }> = [
    { key: "trustPolicy", label: "Trust policy", unit: "characters" },
    { key: "inlinePolicies", label: "Inline policies", unit: "characters" },
    { key: "managedPolicies", label: "Managed policies", unit: "policies" },
  ];
  return (
    <section aria-labelledby="wz-quotas-title" className="space-y-2">
      <h3 id="wz-quotas-title" className="text-sm font-semibold text-slate-900">
        Size <span className="font-normal text-slate-500">— against {accountName}&apos;s IAM quotas, whitespace not counted</span>
      </h3>
      <ul className="grid gap-3 sm:grid-cols-3" data-testid="quota-meters">
        {meters.map(({ key, label, unit }) => {
          const meter = usage[key];
          const { level } = meter;
          const percent = meter.quota > 0 ? Math.round((meter.used / meter.quota) * 100) : 100;
          const text = `${meter.used.toLocaleString("en-US")} of ${meter.quota.toLocaleString("en-US")} ${unit}`;
          return (
            <li key={key} className="rounded-md border border-slate-200 px-3 py-2" data-testid={`quota-${key}`} data-level={level}>
              <div className="flex items-baseline justify-between gap-2 text-sm">
                <span className="font-medium text-slate-800">{label}</span>
                <span className={`tabular-nums ${TEXT[level]}`}>{percent}%</span>
              </div>
              <div
                role="meter"
                aria-label={`${label} size`}
                aria-valuemin={0}
                aria-valuemax={meter.quota}
                aria-valuenow={Math.min(meter.used, meter.quota)}
                aria-valuetext={text}
                className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-slate-100"
              >
                <div className={`h-full rounded-full ${BAR[level]}`} style={{ width: `${Math.min(100, percent)}%` }} />
              </div>
              <p className={`mt-1 text-xs tabular-nums ${TEXT[level]}`}>
                {text}
                {level === "over" ? ": IAM would refuse it" : level === "near" ? ": little room left" : ""}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
