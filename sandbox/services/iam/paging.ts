// IAM's Marker/MaxItems pagination. Items are listed in the order of a stable key and the marker
// remembers the last key returned, so a page boundary survives entities being added or deleted
// between calls. https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html
import { validationError } from "../../core/errors";

export type PageInput = { Marker?: string; MaxItems?: number };
export type Page<T> = { items: T[]; IsTruncated: boolean; Marker?: string };

/** "If you do not include this parameter, the number of items defaults to 100." */
export const DEFAULT_MAX_ITEMS = 100;

const MARKER_PREFIX = "sb1:";

const encodeMarker = (key: string) => Buffer.from(`${MARKER_PREFIX}${key}`, "utf8").toString("base64url");

function decodeMarker(marker: string): string {
  const text = Buffer.from(marker, "base64url").toString("utf8");
  if (!text.startsWith(MARKER_PREFIX)) throw validationError("Invalid Marker: use the Marker value returned by the previous call.");
  return text.slice(MARKER_PREFIX.length);
}

/** Code-unit order, the same on every machine (unlike localeCompare). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function paginate<T>(items: T[], keyOf: (item: T) => string, input: PageInput): Page<T> {
  const keyed = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => compare(a.key, b.key));
  const after = input.Marker === undefined ? undefined : decodeMarker(input.Marker);
  const start = after === undefined ? 0 : keyed.findIndex((k) => k.key > after);
  const from = start < 0 ? keyed.length : start;
  const max = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  const page = keyed.slice(from, from + max);
  const truncated = from + max < keyed.length;
  return {
    items: page.map((k) => k.item),
    IsTruncated: truncated,
    ...(truncated ? { Marker: encodeMarker(page[page.length - 1]!.key) } : {}),
  };
}

/** A path filter as IAM applies PathPrefix: a plain prefix of the entity's path. */
export const underPath = (path: string, prefix: string | undefined) => prefix === undefined || path.startsWith(prefix);
