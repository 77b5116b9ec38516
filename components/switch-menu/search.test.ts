import { describe, expect, it } from "vitest";
import { indexMenu, matchTier, SCORE_SCALE, searchKey, searchMenu, tokenize, Tier, usageOrder, type MenuIndex } from "./search";
import { CATALOG, makeMenu } from "./testing";

const index = indexMenu(CATALOG);
const order = usageOrder(index, CATALOG.roles);

/** Role ids matching `query`, best first. */
function ids(query: string, idx: MenuIndex = index): string[] {
  const result = searchMenu(idx, query, usageOrder(idx, idx.data.roles));
  return result ? Array.from(result.roles, (r) => idx.data.roles[r]!.id) : [];
}

describe("searchKey", () => {
  it.each([
    ["Read-Only Access", "readonlyaccess", [0, 4, 8]],
    ["ReadOnlyAccess", "readonlyaccess", [0, 4, 8]],
    ["IAMAdmin", "iamadmin", [0, 3]],
    ["CA_ServiceDeployer", "caservicedeployer", [0, 2, 9]],
    ["prod2 eu", "prod2eu", [0, 4, 5]],
    ["Produção", "producao", [0]],
    ["  --  ", "", []],
  ])("%j → %j starting at %j", (raw, text, starts) => {
    const key = searchKey(raw);
    expect({ text: key.text, starts: key.starts }).toEqual({ text, starts });
  });
});

describe("tokenize", () => {
  it.each([
    ["", []],
    ["   ", []],
    ["Prod  Admin", ["prod", "admin"]],
    ["prod/admin", ["prod", "admin"]],
    ["read-only", ["readonly"]],
    ["1111-1111-1111", ["111111111111"]],
    ["arn:aws:iam::111111111111:role/ops/CA_ServiceDeployer", ["111111111111", "caservicedeployer"]],
    ["arn:aws:sts::222222222222:assumed-role/AdminRole/alice", ["222222222222", "adminrole"]],
    ["arn:aws-us-gov:iam::333333333333:role/JenkinsRole prod", ["333333333333", "jenkinsrole", "prod"]],
  ])("%j → %j", (query, tokens) => {
    expect(tokenize(query)).toEqual(tokens);
  });
});

describe("matchTier", () => {
  const key = searchKey("Production ReadOnly");
  it.each([
    ["productionreadonly", Tier.EXACT],
    ["prod", Tier.PREFIX],
    ["read", Tier.WORD_START],
    ["only", Tier.WORD_START],
    ["onlyxy", Tier.NONE],
    ["duct", Tier.SUBSTRING],
    // One edit in a word of four letters or more: substitution, insertion, deletion, swap.
    ["prodiction", Tier.TYPO],
    ["prodducion", Tier.NONE], // two edits
    ["productoin", Tier.TYPO],
    ["prodution", Tier.TYPO],
    ["producction", Tier.TYPO],
    ["raed", Tier.TYPO],
    ["rpoduction", Tier.TYPO], // the first letter may be the swapped one
    // A four-letter word with a typo must be a whole word; longer ones may stop mid-word.
    ["reda", Tier.TYPO],
    ["redo", Tier.NONE], // "reado…" would need the word to go on
    ["redy", Tier.NONE],
    ["prdouc", Tier.TYPO],
    ["prodcut", Tier.TYPO],
    // …but only when two letters after the edit confirm it.
    ["productiox", Tier.TYPO], // whole word "production"
    ["prodx", Tier.NONE],
    // Three letters or fewer: no typos.
    ["rad", Tier.NONE],
  ])("%j in 'Production ReadOnly' → %i", (token, tier) => {
    expect(matchTier(token, key)).toBe(tier);
  });

  it("does not tolerate typos in numbers", () => {
    expect(matchTier("111111111112", searchKey("111111111111"))).toBe(Tier.NONE);
  });
});

describe("searchMenu", () => {
  it("returns null for an empty query: the menu browses instead", () => {
    expect(searchMenu(index, "  ", order)).toBeNull();
  });

  it.each<[string, string, string[]]>([
    ["account name prefix", "prod", ["prod-admin", "prod-deploy", "prod-ro"]],
    ["account name, case ignored", "PRODUCTION", ["prod-admin", "prod-deploy", "prod-ro"]],
    ["12-digit account id", "333333333333", ["ops-billing", "ops-jenkins"]],
    ["partial account id", "4444", ["test-admin"]],
    ["account id with dashes", "5555-5555-5555", ["lake-analyst"]],
    ["alias", "analytics", ["lake-analyst"]],
    ["alias prefix (not acme-dev: a mid-word typo needs two letters after it)", "acme-te", ["test-admin"]],
    ["IAM role name", "delegate_read", ["lake-analyst"]],
    ["IAM role name word", "deployer", ["prod-deploy"]],
    ["display name", "billing", ["ops-billing"]],
    ["several words AND together", "dev read", ["dev-ro"]],
    ["words in any order", "readonly production", ["prod-ro"]],
    ["typo: swapped letters", "porduction admin", ["prod-admin"]],
    ["typo: missing letter (pinned first)", "developent", ["dev-ro", "dev-admin"]],
    ["typo: extra letter", "jennkins", ["ops-jenkins"]],
    ["typo: wrong letter", "opetations", ["ops-billing", "ops-jenkins"]],
    ["subsequence across account and role, best aligned first", "prdro", ["prod-ro", "prod-admin", "prod-deploy"]],
    ["subsequence inside a word", "jnkns", ["ops-jenkins"]],
    ["a pasted role ARN", "arn:aws:iam::111111111111:role/CA_ServiceDeployer", ["prod-deploy"]],
    ["nothing", "zzzz", []],
    ["one word missing means no match", "prod zzzz", []],
    ["a mistyped id finds nothing", "111111111112", []],
  ])("%s: %j", (_what, query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it("ranks exact and prefix above word start above substring above typo and subsequence", () => {
    const idx = indexMenu(
      makeMenu(
        [{ id: "100000000000", name: "Sandbox", alias: null, environment: "sandbox" }],
        [
          { id: "subseq", account: "Sandbox", name: "DevAccountTeamAdmin" }, // d…a…t…a, a subsequence only
          { id: "typo", account: "Sandbox", name: "Dtaa" }, // one swap
          { id: "substring", account: "Sandbox", name: "Metadata" },
          { id: "wordstart", account: "Sandbox", name: "BigData" },
          { id: "prefix", account: "Sandbox", name: "DataLake" },
          { id: "exact", account: "Sandbox", name: "Data" },
        ],
      ),
    );
    const result = searchMenu(idx, "data", usageOrder(idx, idx.data.roles))!;
    const ranked = Array.from(result.roles, (r) => idx.data.roles[r]!.id);
    expect(ranked).toEqual(["exact", "prefix", "wordstart", "substring", "typo", "subseq"]);
    expect(Array.from(result.roles, (r) => Math.floor(result.scores[r]! / SCORE_SCALE))).toEqual([Tier.EXACT, Tier.PREFIX, Tier.WORD_START, Tier.SUBSTRING, Tier.TYPO, Tier.SUBSEQUENCE]);
  });

  it("puts pinned, then recently used roles first among equal matches", () => {
    // "admin" is a prefix of the label of all three Admin roles: Test's is pinned (and recent).
    expect(ids("admin")).toEqual(["test-admin", "dev-admin", "prod-admin"]);
    // "opera" matches both Operations roles equally: the more recent one first.
    expect(ids("opera")).toEqual(["ops-billing", "ops-jenkins"]);
  });

  it("follows a changed usage without re-indexing (a pin toggled in the open menu)", () => {
    const usage = CATALOG.roles.map((r) => (r.id === "prod-admin" ? { ...r, pinned: true } : r));
    const result = searchMenu(index, "admin", usageOrder(index, usage))!;
    // Both pinned now: Test's was also used recently, so it stays ahead of Production's.
    expect(Array.from(result.roles, (r) => CATALOG.roles[r]!.id)).toEqual(["test-admin", "prod-admin", "dev-admin"]);
  });

  it("sums the tiers of the words: a role matching both words well beats one matching one well", () => {
    // "read" is a word start of Read only (both accounts); "dev" a prefix of Development only.
    expect(ids("read dev")).toEqual(["dev-ro"]);
    expect(ids("admin prod")[0]).toBe("prod-admin");
  });

  it("finds typo-tolerant matches among 5,000 roles in 1,000 accounts (its speed is measured by npm run bench:menu, not here)", () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => ({
      id: String(100000000000 + i * 7919),
      name: `${["Payments", "Search", "Identity", "Data", "Edge"][i % 5]} ${["Production", "Staging", "Development", "Test"][i % 4]} ${i}`,
      alias: `acme-${i}`,
      environment: "production" as const,
    }));
    const roles = Array.from({ length: 5000 }, (_, i) => ({
      id: `r${i}`,
      account: accounts[i % 1000]!.name,
      name: ["AdminRole", "ReadOnly", "PowerUser", "BillingViewer", "CA_ServiceDeployer"][i % 5]!,
      label: ["Admin", "Read only", "Power user", "Billing", "Deployer"][i % 5]!,
      pinned: i % 97 === 0,
      lastUsedAt: i % 13 === 0 ? new Date(1_700_000_000_000 + i * 1000).toISOString() : null,
    }));
    const big = indexMenu(makeMenu(accounts, roles));
    const bigOrder = usageOrder(big, big.data.roles);
    const queries = ["p", "pa", "pay", "paym", "paymetns", "payments prod", "payments prod adm", "1000000", "prdro", "acme-12", "zzzz"];
    // Every query of a typing session answers without throwing (timings: npm run bench:menu).
    for (const q of queries) expect(() => searchMenu(big, q, bigOrder)).not.toThrow();
    expect(searchMenu(big, "paymetns prod adm", bigOrder)!.roles.length).toBeGreaterThan(0);
  });
});
