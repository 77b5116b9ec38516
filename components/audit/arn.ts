// ARNs in the audit log's text, shortened for reading: the table shows what the resource is and
// which account it is in, and keeps the full ARN for hover and copy.
// ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html

export type TextPart = { kind: "text"; text: string } | { kind: "arn"; arn: string; short: string; account: string | null };

/** arn:partition:service:region:account-id:resource — the resource runs until a space, a comma or
 * a semicolon (what separates an ARN from the words around it in a target or a reason). */
const ARN = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^\s,;]+/g;

/** The last part of an ARN's resource with its type: "role/ReadOnly" for
 * arn:aws:iam::111111111111:role/team/ReadOnly, "assumed-role/ReadOnly/ada" for an STS session. */
export function shortArn(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  if (!resource) return arn;
  const slash = resource.indexOf("/");
  if (slash < 0) return resource;
  const type = resource.slice(0, slash);
  const rest = resource.slice(slash + 1).split("/");
  // An STS session keeps role and session name; everything else keeps its name, not its path.
  return type === "assumed-role" ? `${type}/${rest.slice(-2).join("/")}` : `${type}/${rest.at(-1)}`;
}

export function splitArns(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(ARN)) {
    if (m.index > last) parts.push({ kind: "text", text: text.slice(last, m.index) });
    parts.push({ kind: "arn", arn: m[0], short: shortArn(m[0]), account: m[1] ?? null });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}
