import type { RequestContext } from "./types";

/** The values of a request-context key. Key names are case-insensitive ("`aws:CurrentTime` is
 * equivalent to `AWS:currenttime`"):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * Returns undefined when the key is absent; a present key always yields an array. */
export function contextValues(context: RequestContext, key: string): string[] | undefined {
  const direct = Object.prototype.hasOwnProperty.call(context, key) ? context[key] : undefined;
  const value = direct !== undefined ? direct : findIgnoringCase(context, key);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

function findIgnoringCase(context: RequestContext, key: string): string | string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) {
    if (value !== undefined && name.toLowerCase() === wanted) return value;
  }
  return undefined;
}
