// A console process for the crash tests (runs.test.ts): applies one plan with the journal in the
// store named by DATABASE_URL, printing each journal write as a JSON line, until the test kills
// it with SIGKILL. Input: a JSON file { endpoint, credentials, plan, actor } in CHILD_INPUT.
import { readFileSync } from "node:fs";
import { IAMClient } from "@aws-sdk/client-iam";
import { applyPlan } from "../apply";
import { startRun } from "../runs";
import type { Plan } from "../types";

type Input = { endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }; plan: Plan; actor: { id: string; email: string } };

const input = JSON.parse(readFileSync(process.env.CHILD_INPUT ?? "", "utf8")) as Input;
const iam = new IAMClient({ endpoint: input.endpoint, region: "us-east-1", credentials: input.credentials, maxAttempts: 1 });
const run = await startRun({ actor: input.actor, plan: input.plan });
const result = await applyPlan(
  input.plan,
  {
    iamFor: async () => iam,
    retry: { attempts: 2, baseDelayMs: 5 },
    journal: async (entries) => {
      await run.journal(entries);
      process.stdout.write(`${JSON.stringify(entries)}\n`);
    },
  },
  run.startedAt,
);
process.stdout.write(`${JSON.stringify({ finished: result.ok })}\n`);
