/** Now as the store keeps timestamps: ISO-8601 UTC with milliseconds, always 24 characters,
 * so that text order is time order on both dialects (and a CHECK refuses other shapes). */
export function nowIso(): string {
  return new Date().toISOString();
}
