import { describe, expect, it } from "vitest";
import { auditCsv } from "./export";
import type { AuditEventDto } from "./list-events";

const event = (over: Partial<AuditEventDto>): AuditEventDto => ({
  id: "01JAAAAAAAAAAAAAAAAAAAAAAA",
  at: "2026-11-23T10:00:00.000Z",
  actorEmail: "alice@example.com",
  action: "session.console",
  outcome: "success",
  target: "arn:aws:iam::111111111111:role/ReadOnly",
  awsAccountId: "111111111111",
  reason: null,
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0",
  requestId: "r-1",
  details: { region: "eu-west-1" },
  ...over,
});

describe("auditCsv", () => {
  it("writes a header and one row per event, details as JSON", () => {
    const csv = auditCsv([event({})]);
    const [header, row] = csv.trimEnd().split("\r\n");
    expect(header).toBe("id,at,actorEmail,action,outcome,target,awsAccountId,reason,ip,userAgent,requestId,details");
    expect(row).toBe('01JAAAAAAAAAAAAAAAAAAAAAAA,2026-11-23T10:00:00.000Z,alice@example.com,session.console,success,arn:aws:iam::111111111111:role/ReadOnly,111111111111,,203.0.113.7,Mozilla/5.0,r-1,"{""region"":""eu-west-1""}"');
  });

  it("quotes commas, quotes and line breaks", () => {
    const csv = auditCsv([event({ reason: 'He said "no", then\nleft', userAgent: "a,b" })]);
    expect(csv).toContain('"He said ""no"", then\nleft"');
    expect(csv).toContain('"a,b"');
  });

  it.each(["=HYPERLINK(\"http://evil\")", "+1", "-2+3", "@SUM(A1)", "\tcmd"])("neutralises a formula-looking cell %j", (payload) => {
    const row = auditCsv([event({ actorEmail: payload })]).split("\r\n")[1]!;
    expect(row.split(",")[2]!.replace(/^"/, "")).toMatch(/^'/);
  });
});
