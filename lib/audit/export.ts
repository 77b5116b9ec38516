// CSV for the audit log (RFC 4180), safe to open in a spreadsheet: cells that a spreadsheet
// would run as a formula (=, +, -, @, tab, CR) are prefixed with a quote (OWASP CSV injection).
import type { AuditEventDto } from "./list-events";

export const CSV_COLUMNS = ["id", "at", "actorEmail", "action", "outcome", "target", "awsAccountId", "reason", "ip", "userAgent", "requestId", "details"] as const;

function cell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsv(events: AuditEventDto[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const e of events) lines.push(CSV_COLUMNS.map((c) => cell(e[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
