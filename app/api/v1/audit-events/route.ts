import { z } from "zod";
import { auditCsv } from "@/lib/audit/export";
import { auditFilter, listAuditEvents } from "@/lib/audit/list-events";
import { apiRoute } from "@/lib/http/api";

/** An export takes up to this many events (newest first); narrow the filters for more. */
const EXPORT_LIMIT = 10_000;

const query = auditFilter.extend({ format: z.enum(["json", "csv"], { error: 'format must be "json" or "csv"' }).optional() });

// GET /api/v1/audit-events?actor=&action=&outcome=&account=&from=&to=&before=&limit=&format=json|csv
// — the audit log, newest first; with format=csv or format=json, a download of every match
export const GET = apiRoute({ permission: "audit.read", query }, async ({ actor, query }) => {
  const { format, ...filter } = query;
  if (!format) return listAuditEvents(actor, filter);
  const { events } = await listAuditEvents(actor, { ...filter, limit: EXPORT_LIMIT });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const body = format === "csv" ? auditCsv(events) : `${JSON.stringify(events, null, 2)}\n`;
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json",
      "Content-Disposition": `attachment; filename="switchboard-audit-${stamp}.${format}"`,
    },
  });
});
