// What the Switch Role menu receives: only what it needs to draw and filter the list, for the
// roles the signed-in person may use. Accounts are listed once and referenced by index. This is
// the API's default answer and what the menu works with; on the wire to the menu it travels in
// the compact shape of lib/catalog/menu-wire.ts. Pure types: shared by server and client.

import type { Environment } from "@/lib/domain/environments";
import type { Partition } from "@/lib/domain/partitions";

export type MenuEnvironment = Environment;

export type MenuAccount = {
  /** The 12-digit AWS account id. */
  id: string;
  name: string;
  alias: string | null;
  environment: MenuEnvironment;
  /** `#rrggbb`. */
  color: string;
  partition: Partition;
};

export type MenuRole = {
  /** The role entry id (what /switch/<id> and the sessions API take). */
  id: string;
  /** Index into MenuData.accounts. */
  a: number;
  /** IAM role name. */
  name: string;
  /** Display name; equal to `name` when none was set. */
  label: string;
  /** Colour bar: the entry's own colour, else the account's. */
  color: string;
  /** Region the switch uses unless the person picks another. */
  region: string;
  pinned: boolean;
  /** ISO time of this person's last switch into it, or null. */
  lastUsedAt: string | null;
  /** How often this person switched into it. */
  uses: number;
  /** The entry sends an ExternalId (shown as a badge: the AWS console itself cannot switch into these). */
  requiresExternalId: boolean;
  /** Present only when the entry failed its last test (lib/catalog/health.ts): the menu shows it
   * greyed out with the reason. Absent for working and untested entries, to keep the data small. */
  health?: MenuHealth;
  /** Present only when this person's access ends by itself (every grant of theirs in it expires):
   * the latest expiry, ISO. The menu marks it within a day ("Access ends in 2 h"). */
  accessEndsAt?: string;
};

export type MenuHealth = {
  /** Why it fails (a HealthWhy: "not_trusted", "no_such_role", …). */
  why: string;
  /** The test's sentence. */
  reason: string;
  /** ISO time of the test. */
  testedAt: string;
};

/** A role entry this person may ask for (issue 15 §2.1): eligible for it (by user or through one
 * of their groups, lib/access/policy.ts isEligible) and not able to use it now. Only what the menu
 * draws and searches: the request page (/requests?ask=<id>) has the rest (policy, approvers). */
export type MenuRequestable = {
  /** The role entry id (what /requests?ask=<id> takes). */
  id: string;
  /** Index into MenuData.accounts. */
  a: number;
  /** IAM role name. */
  name: string;
  /** Display name; equal to `name` when none was set. */
  label: string;
  /** Colour bar: the entry's own colour, else the account's. */
  color: string;
  /** Present when this person already has a request for it waiting for approval. */
  pending?: true;
};

export type MenuData = {
  /** The accounts of `roles`, then those only `requestable` entries are in. */
  accounts: MenuAccount[];
  roles: MenuRole[];
  /** The entries this person may ask for but not use; absent when there are none (administrators,
   * who may use every entry, never have any). An entry both usable and eligible is in `roles` only. */
  requestable?: MenuRequestable[];
  /** The role entry last used, for the header button. */
  lastRoleId: string | null;
};
