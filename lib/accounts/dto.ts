import type { AccountRow, Environment, Partition } from "@/lib/db/schema";

export type AccountDto = {
  /** The registry's id. */
  id: string;
  /** The 12-digit AWS account id. */
  accountId: string;
  name: string;
  alias: string | null;
  environment: Environment;
  color: string;
  partition: Partition;
  defaultRegion: string;
  provisioningRoleName: string;
  notes: string;
  source: "manual" | "organizations";
  /** Role entries registered in it (that the caller can see). */
  roleCount: number;
  createdAt: string;
  updatedAt: string;
};

export function toAccountDto(row: AccountRow, roleCount: number): AccountDto {
  return {
    id: row.id,
    accountId: row.aws_account_id,
    name: row.name,
    alias: row.alias,
    environment: row.environment,
    color: row.color,
    partition: row.partition,
    defaultRegion: row.default_region,
    provisioningRoleName: row.provisioning_role_name,
    notes: row.notes,
    source: row.source,
    roleCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A colour per environment, so production stands out in the menu without anyone choosing. */
export const ENVIRONMENT_COLORS: Record<Environment, string> = {
  production: "#dc2626",
  staging: "#d97706",
  development: "#2563eb",
  test: "#7c3aed",
  operations: "#0d9488",
  sandbox: "#64748b",
  other: "#475569",
};

/** A first guess at an account's environment from its name (for imports); "other" when unsure. */
export function guessEnvironment(name: string): Environment {
  const n = name.toLowerCase();
  // Before production, which would match the "prod" in "pre-prod" and "preproduction".
  if (/pre-?prod/.test(n)) return "staging";
  if (/\bprod|production|\bprd\b|\blive\b/.test(n)) return "production";
  if (/stag|\bstg\b|pre-?prod|\buat\b/.test(n)) return "staging";
  if (/\bdev|development/.test(n)) return "development";
  if (/\btest|\bqa\b/.test(n)) return "test";
  if (/\bops\b|operations|shared|security|audit|log.?archive|network|management|\bmgmt\b/.test(n)) return "operations";
  if (/sandbox|playground/.test(n)) return "sandbox";
  return "other";
}
