// The audit page's URL → filter, and back: the filter bar's values, the export links and the
// paging link all come from the same normalized parameters.

export const FILTER_KEYS = ["actor", "action", "outcome", "account", "from", "to", "request"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

// What a datetime-local input submits when the form is sent without JavaScript: a UTC time
// without a zone (the inputs are labelled UTC, like the table).
const LOCAL = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/;

/** A `from`/`to` value as ISO 8601 UTC. A minute-precision `to` covers its whole minute. */
export function toIsoUtc(value: string, edge: "from" | "to"): string {
  const m = LOCAL.exec(value);
  if (!m) return value;
  return m[2] ? `${value}Z` : `${m[1]}:${edge === "to" ? "59.999" : "00.000"}Z`;
}

/** An ISO time as a datetime-local value in UTC ("2026-03-01T09:30"), or "" if it is not one. */
export function toInputValue(iso: string | undefined): string {
  if (!iso) return "";
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? "" : t.toISOString().slice(0, 16);
}

/** The non-empty single-valued parameters, with from/to made ISO. */
export function normalizeParams(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== "string" || value.trim() === "") continue;
    out[key] = key === "from" || key === "to" ? toIsoUtc(value.trim(), key) : value.trim();
  }
  return out;
}

export function filtersOnly(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(FILTER_KEYS.filter((k) => params[k]).map((k) => [k, params[k]!]));
}
