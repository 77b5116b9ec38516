import { describe, expect, it } from "vitest";
import { indexMenu, matchTier, SCORE_SCALE, searchKey, searchMenu, tokenize, Tier, usageOrder, wordScores, type MenuIndex } from "./search";
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

  it("orders by usage as one full sort would: pinned, latest use, most uses, then the catalog", () => {
    const usage = CATALOG.roles.map((r, i) => ({ ...r, pinned: i % 4 === 1, lastUsedAt: i % 3 === 0 ? `2026-05-0${1 + (i % 2)}T10:00:00.000Z` : null, uses: i % 5 === 0 ? 0 : i % 3 }));
    const full = [...usage.keys()].sort((x, y) => {
      const [ux, uy] = [usage[x]!, usage[y]!];
      if (ux.pinned !== uy.pinned) return ux.pinned ? -1 : 1;
      const [lx, ly] = [ux.lastUsedAt ?? "", uy.lastUsedAt ?? ""];
      if (lx !== ly) return lx > ly ? -1 : 1;
      return uy.uses - ux.uses || index.catalogRank[x]! - index.catalogRank[y]!;
    });
    expect(Array.from(usageOrder(index, usage))).toEqual(full);
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

  describe("among 5,000 roles in 1,000 accounts (the speed is measured by npm run bench:menu, not here)", () => {
    // Account i is "<team> <environment> <i>" (team cycles every 5, environment every 5 × 4),
    // with five roles each, so the matches of a query follow from arithmetic on i.
    const TEAMS = ["Payments", "Search", "Identity", "Data", "Edge"];
    const ENVIRONMENTS = ["Production", "Staging", "Development", "Test"];
    const ROLES = [
      { name: "AdminRole", label: "Admin" },
      { name: "ReadOnly", label: "Read only" },
      { name: "PowerUser", label: "Power user" },
      { name: "BillingViewer", label: "Billing" },
      { name: "CA_ServiceDeployer", label: "Deployer" },
    ];
    const accountId = (i: number) => String(100000000000 + i * 7919);
    const accounts = Array.from({ length: 1000 }, (_, i) => ({
      id: accountId(i),
      name: `${TEAMS[i % 5]} ${ENVIRONMENTS[Math.floor(i / 5) % 4]} ${i}`,
      alias: `acme-${i}`,
      environment: "production" as const,
    }));
    const roleId = (i: number, name: string) => `acme-${i}/${name}`;
    // Usage among the Payments Production admins (accounts 0, 20, 40, … 980), and some elsewhere
    // that must not leak into their results.
    const PINNED = new Set([roleId(980, "AdminRole"), roleId(5, "AdminRole"), roleId(1, "ReadOnly")]);
    const LAST_USED = new Map([
      [roleId(40, "AdminRole"), "2026-05-02T10:00:00.000Z"],
      [roleId(500, "AdminRole"), "2026-05-01T10:00:00.000Z"],
      [roleId(3, "AdminRole"), "2026-05-03T10:00:00.000Z"],
    ]);
    const roles = accounts.flatMap((account, i) =>
      ROLES.map((r) => ({ id: roleId(i, r.name), account: account.name, ...r, pinned: PINNED.has(roleId(i, r.name)), lastUsedAt: LAST_USED.get(roleId(i, r.name)) ?? null })),
    );
    const big = indexMenu(makeMenu(accounts, roles));
    const bigIds = (query: string) => ids(query, big);

    // Pinned first, then the most recent, then by account number (the catalog's numeric order).
    const paymentsProductionAdmins = [
      roleId(980, "AdminRole"),
      roleId(40, "AdminRole"),
      roleId(500, "AdminRole"),
      ...Array.from({ length: 50 }, (_, k) => k * 20)
        .filter((i) => ![980, 40, 500].includes(i))
        .map((i) => roleId(i, "AdminRole")),
    ];

    it("has the catalog it claims", () => {
      expect(big.data.roles).toHaveLength(5000);
      expect(big.data.accounts).toHaveLength(1000);
    });

    it("finds exactly the 50 Payments Production admins, pinned and recent first", () => {
      expect(paymentsProductionAdmins).toHaveLength(50);
      expect(bigIds("payments production admin")).toEqual(paymentsProductionAdmins);
    });

    it("finds the same roles in the same order through typos and abbreviations", () => {
      expect(bigIds("paymetns prod adm")).toEqual(paymentsProductionAdmins);
      expect(bigIds("admin prodcution payments")).toEqual(paymentsProductionAdmins);
    });

    it("finds one account's five roles by its id, pinned first, then by label", () => {
      expect(bigIds(accountId(1))).toEqual(["ReadOnly", "AdminRole", "BillingViewer", "CA_ServiceDeployer", "PowerUser"].map((n) => roleId(1, n)));
      // One digit off (100000007918 is no account's id): nothing, not a near miss.
      expect(bigIds("100000007918")).toEqual([]);
    });

    it("puts the exact alias first, then the aliases it begins", () => {
      const found = bigIds("acme-12");
      expect(found.slice(0, 5)).toEqual(["AdminRole", "BillingViewer", "CA_ServiceDeployer", "PowerUser", "ReadOnly"].map((n) => roleId(12, n)));
      const prefixed = Array.from({ length: 10 }, (_, k) => 120 + k).flatMap((i) => ROLES.map((r) => roleId(i, r.name)));
      expect(new Set(found.slice(5, 55))).toEqual(new Set(prefixed));
    });

    it("finds every role with the letter anywhere for a one-letter query", () => {
      // One letter: only the exact tiers (no typos, no subsequences), so a plain substring
      // test over every searchable field says which roles match.
      const withP = roles.filter((r, k) => [r.account, accounts[Math.floor(k / 5)]!.alias, r.label, r.name].some((t) => t.toLowerCase().includes("p")));
      const found = bigIds("p");
      expect(found).toHaveLength(withP.length);
      expect(new Set(found)).toEqual(new Set(withP.map((r) => r.id)));
      // Accounts without a p are Search, Identity, Data and Edge in Staging and Test: 400 of
      // them, whose Admin, Read only and Billing roles (no p) are the 1,200 left out.
      expect(found).toHaveLength(3800);
    });

    it("finds nothing for words nothing contains", () => {
      expect(bigIds("zzzz")).toEqual([]);
      expect(bigIds("payments zzzz")).toEqual([]);
    });
  });
});

describe("word scores kept between keystrokes", () => {
  // searchMenu scores each word once per index (wordScores) and reuses the scores while the
  // next words are typed: results must not depend on what was typed before.
  const queries = ["p", "pr", "prod", "prod a", "prod ad", "prod admin", "admin prod", "raedonly", "prdro", "acme", "acme-d", "111", "111111111111 admin", "read only", "only read", "zzzz prod"];

  it("answers every query as a fresh index does, in any order", () => {
    const reused = indexMenu(CATALOG);
    const fresh = (query: string) => {
      const idx = indexMenu(CATALOG);
      return searchMenu(idx, query, usageOrder(idx, CATALOG.roles));
    };
    for (const query of [...queries, ...[...queries].reverse()]) {
      const got = searchMenu(reused, query, usageOrder(reused, CATALOG.roles));
      const want = fresh(query);
      expect(got && { roles: Array.from(got.roles), scores: Array.from(got.scores) }).toEqual(want && { roles: Array.from(want.roles), scores: Array.from(want.scores) });
    }
  });

  it("scores a word once, and keeps a bounded number of words", () => {
    const idx = indexMenu(CATALOG);
    expect(wordScores(idx, "prod")).toBe(wordScores(idx, "prod"));
    for (let i = 0; i < 200; i++) wordScores(idx, `word${i}`);
    expect(idx.words.size).toBeLessThanOrEqual(64);
    expect(idx.words.has("word199")).toBe(true);
    expect(idx.words.has("prod")).toBe(false);
  });
});
