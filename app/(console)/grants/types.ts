// What the Grants page hands to its client component: only what it draws. Pure types.

export type GrantRow = {
  id: string;
  roleId: string;
  roleLabel: string;
  roleArn: string;
  accountRef: string;
  accountName: string;
  user: { email: string; name: string } | null;
  group: string | null;
  createdAt: string;
  createdBy: string | null;
  /** When it stops giving access (ISO); null: never. Expired grants are listed, marked. */
  expiresAt: string | null;
};

export type RoleChoice = { id: string; label: string; roleName: string; accountRef: string; accountName: string; awsAccountId: string };

export type AccountChoice = { id: string; name: string; awsAccountId: string };

export type PersonChoice = { email: string; name: string };

/** Filters and the grant form's first choices, from the address (links from the Users page). */
export type GrantsView = { user: string; group: string; account: string; role: string; grantTo: string | null };
