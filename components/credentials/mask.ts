// What the credentials dialog shows before "Reveal": the rendered text with the secret access
// key and the session token replaced by bullets. The access key id stays visible (it is not a
// secret on its own and helps to tell sessions apart). Copy always takes the unmasked text.

export const MASK = "•".repeat(20);

/** `text` with every occurrence of each secret replaced by the mask. Secrets shorter than 8
 * characters are ignored: replacing them could blank out unrelated text, and STS never issues
 * them. Formats that escape a value (JSON) are covered too. */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 8) continue;
    out = out.split(secret).join(MASK);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(MASK);
  }
  return out;
}
