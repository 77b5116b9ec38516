// The session lengths the credentials dialog offers. Pure: the dialog and its tests share it.
//
// The console decides how long a session may last (lib/aws/duration.ts: the entry's own length,
// the IAM role's MaxSessionDuration when the catalog knows it, the one-hour role-chaining cap,
// the person's console session) and says, with each credentials answer, the longest it grants
// now (maxDurationSeconds, lib/sessions/start-session.ts). Past an hour, an entry with neither
// its own length nor a known role maximum is held to the hour: AssumeRole enforces the role's
// maximum by failing. The dialog offers only lengths at or under that ceiling, so every length
// it shows is granted as shown.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (DurationSeconds, 900–43200)

/** 15 minutes (AssumeRole's minimum), 1, 4, 8 and 12 hours (its maximum). */
export const LENGTH_CHOICES = [900, 3600, 4 * 3600, 8 * 3600, 12 * 3600] as const;

/** The lengths to offer under a ceiling, shortest first: the fixed choices up to it, and the
 * ceiling itself when it is none of them (an entry set to 2 hours offers 15 min, 1 h and 2 h). */
export function lengthChoices(ceilingSeconds: number): number[] {
  const ceiling = Math.floor(ceilingSeconds);
  const choices: number[] = LENGTH_CHOICES.filter((s) => s <= ceiling);
  if (ceiling >= LENGTH_CHOICES[0] && !choices.includes(ceiling)) choices.push(ceiling);
  return choices;
}

/** "15 min", "1 h", "1 h 30 min", "12 h". */
export function lengthLabel(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** The same, spelled out for screen readers and sentences: "15 minutes", "1 hour 30 minutes". */
export function lengthWords(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (h === 0) return part(m, "minute");
  return m ? `${part(h, "hour")} ${part(m, "minute")}` : part(h, "hour");
}
