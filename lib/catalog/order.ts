// The catalog's order, as the Switch Role menu browses it: accounts by name, then by account id;
// in each account, roles by display name, then by IAM role name. Compared as people read them:
// case and accents aside, and numbers by value ("Prod 2" before "Prod 10"). Shared and pure (no
// I/O): the Roles page sorts with it in the browser, the menu's index ranks with it
// (components/switch-menu/search.ts, indexMenu), and
// components/switch-menu/catalog-order.test.ts holds the two to the same order.

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

export function compareAccounts(a: { name: string; accountId: string }, b: { name: string; accountId: string }): number {
  return collator.compare(a.name, b.name) || a.accountId.localeCompare(b.accountId);
}

export function compareRoles(a: { displayName: string; roleName: string }, b: { displayName: string; roleName: string }): number {
  return collator.compare(a.displayName, b.displayName) || collator.compare(a.roleName, b.roleName);
}
