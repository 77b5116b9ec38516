// The environments an account can be labelled with, in the order the console sorts them:
// production first. Browser-safe: no server-only, no node: imports.

export const ENVIRONMENTS = ["production", "staging", "development", "test", "operations", "sandbox", "other"] as const;

export type Environment = (typeof ENVIRONMENTS)[number];
