import "server-only";
import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001_users_and_audit";
import * as m0002 from "./0002_catalog";
import * as m0003 from "./0003_role_name_case";
import * as m0004 from "./0004_provision_runs";
import * as m0005 from "./0005_sessions_and_identity";
import * as m0006 from "./0006_session_revocations";
import * as m0007 from "./0007_role_health";
import * as m0008 from "./0008_role_max_session";
import * as m0009 from "./0009_personal_tokens";
import * as m0010 from "./0010_device_authorizations";
import * as m0011 from "./0011_grant_expiry";
import * as m0012 from "./0012_access_requests";

// Every migration, in order, as a static record: the Next.js server bundle has no migrations
// folder to scan. Add new ones at the end; never rename or edit one that has shipped.
export const MIGRATIONS = {
  "0001_users_and_audit": m0001,
  "0002_catalog": m0002,
  "0003_role_name_case": m0003,
  "0004_provision_runs": m0004,
  "0005_sessions_and_identity": m0005,
  "0006_session_revocations": m0006,
  "0007_role_health": m0007,
  "0008_role_max_session": m0008,
  "0009_personal_tokens": m0009,
  "0010_device_authorizations": m0010,
  "0011_grant_expiry": m0011,
  "0012_access_requests": m0012,
} satisfies Record<string, Migration>;

export type MigrationName = keyof typeof MIGRATIONS;

export const MIGRATION_NAMES = Object.keys(MIGRATIONS) as MigrationName[];

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
