// Access reviews of standing grants (issue 15 §3): an administrator opens the Access review page,
// sees which of an operator's grants were used (ReadOnly, switched into just before) and which
// were not (highlighted Unused), converts one to eligibility, removes one (after confirming) and
// keeps one; the audit log records the review, and the operator whose grant was converted can no
// longer switch into that role (it is gone from the menu; the switch is refused 403). The page is
// checked with axe and photographed at 1440 and 390 px in both themes.
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN } from "./support/accounts";
import { ensureAccount, grant, grantedOperator, registeredRoleId, TEST_ACCOUNT } from "./support/scenario";
import { ageGrants } from "./support/store";
import { expectAccessible, shootBothThemes } from "./support/screens";

type ReviewGrant = { id: string; roleId: string; user: { email: string } | null; unused: boolean; lastUsedAt: string | null; lastKept: { at: string; by: string | null } | null };

async function reviewList(request: APIRequestContext, query = "") {
  const res = await request.get(`/api/v1/access-reviews${query}`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { unusedDays: number; grants: ReviewGrant[]; lastReview: { by: string | null; kept: number; converted: number; removed: number } | null };
}

/** The selection checkbox of one grant's row, then the bulk bar's button. */
async function decide(page: Page, grantId: string, button: string) {
  await page.getByTestId(`review-row-${grantId}`).getByRole("checkbox").check();
  await expect(page.getByRole("toolbar", { name: "Decide the selected grants" })).toContainText("1 grant selected");
  await page.getByRole("toolbar", { name: "Decide the selected grants" }).getByRole("button", { name: button, exact: true }).click();
}

test("[ACCESS-REVIEW]: an admin keeps, converts and removes standing grants; the review is audited and a converted grant no longer works", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  const { operator, roleIds } = await grantedOperator(admin);
  await ensureAccount(admin, TEST_ACCOUNT, "Test");
  const testers = await registeredRoleId(admin, TEST_ACCOUNT, "DevelopmentTesters");
  await grant(admin, testers, operator.email);
  // Granted long before the review's 90-day window: a younger grant is not flagged before it has
  // had the chance to be used.
  ageGrants(operator.email, 120);

  // The operator uses ReadOnly; ThirdPartyAuditor and DevelopmentTesters stay unused.
  const op = await playwright.request.newContext({ baseURL });
  await signInWithApi(op, operator.email, operator.password);
  const switched = await op.post("/api/v1/sessions", { data: { roleId: roleIds.readOnly, kind: "credentials" } });
  expect(switched.status(), await switched.text()).toBe(200);

  // Operators may not review (the authorization matrix covers auditors and the rest).
  expect((await op.get("/api/v1/access-reviews")).status()).toBe(403);

  const mine = (await reviewList(admin)).grants.filter((g) => g.user?.email === operator.email);
  const byRole = (roleId: string) => mine.find((g) => g.roleId === roleId)!;
  const [used, toConvert, toRemove] = [byRole(roleIds.readOnly), byRole(roleIds.auditor), byRole(testers)];
  expect(mine).toHaveLength(3);
  expect(used).toMatchObject({ unused: false, lastUsedAt: expect.any(String) });
  expect(toConvert).toMatchObject({ unused: true, lastUsedAt: null });
  expect(toRemove).toMatchObject({ unused: true, lastUsedAt: null });

  // The page: the used grant plain, the unused ones highlighted.
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/access-reviews");
  await expect(page.getByRole("heading", { level: 1, name: "Access review" })).toBeVisible();
  const row = (id: string) => page.getByTestId(`review-row-${id}`);
  await expect(row(used.id)).toHaveAttribute("data-unused", "false");
  await expect(row(used.id)).toContainText(/Used (just now|\d+ min ago)/);
  // (Each row draws its last use twice, one hidden: the phone's card, the wide screen's column.)
  const badge = (id: string) => row(id).getByText("Unused", { exact: true }).filter({ visible: true });
  await expect(badge(used.id)).toHaveCount(0);
  for (const g of [toConvert, toRemove]) {
    await expect(row(g.id)).toHaveAttribute("data-unused", "true");
    await expect(row(g.id)).toContainText("Never used");
    await expect(badge(g.id)).toBeVisible();
  }
  await shootBothThemes(page, "access-review-1440");

  // The filter "unused only" leaves the used grant out.
  // (The filter lives in the address: the box is ticked once the page has moved there.)
  await page.getByLabel("Unused only").click();
  await expect(page).toHaveURL(/unused=1/);
  await expect(page.getByLabel("Unused only")).toBeChecked();
  await expect(row(used.id)).toHaveCount(0);
  await expect(row(toConvert.id)).toBeVisible();
  await page.getByLabel("Unused only").click();
  await expect(row(used.id)).toBeVisible();

  // Convert one.
  const status = page.locator("main").getByRole("status").filter({ hasText: "Review recorded" });
  await decide(page, toConvert.id, "Convert to eligible");
  await expect(status).toHaveText(/^Review recorded: converted 1 grant to eligibility\./);
  await expect(row(toConvert.id)).toHaveCount(0);

  // Remove one: asked first, naming the count.
  await decide(page, toRemove.id, "Remove");
  const dialog = page.getByRole("dialog", { name: "Remove 1 grant?" });
  await expect(dialog).toContainText(operator.email);
  await expectAccessible(page, "access review: confirm removal");
  await dialog.getByRole("button", { name: "Remove 1 grant" }).click();
  await expect(status).toHaveText("Review recorded: removed 1 grant.");
  await expect(row(toRemove.id)).toHaveCount(0);

  // Keep one: the row says when and by whom, the top says the last review.
  await decide(page, used.id, "Keep");
  await expect(status).toHaveText("Review recorded: kept 1 grant.");
  await expect(row(used.id)).toContainText(`Kept just now by ${ADMIN.email}`);
  await expect(page.getByTestId("last-review")).toContainText(`by ${ADMIN.email}: kept 1, converted 0, removed 0`);
  await expectAccessible(page, "access review: after the review");

  // On a phone: cards, no sideways scroll.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(row(used.id)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shootBothThemes(page, "access-review-390");

  // The audit log holds the three reviews and each change.
  const audit = async (action: string) => {
    const res = await admin.get(`/api/v1/audit-events?action=${action}&actor=${encodeURIComponent(ADMIN.email)}&limit=50`);
    expect(res.status(), await res.text()).toBe(200);
    return ((await res.json()) as { events: Array<{ target: string | null; details: Record<string, unknown> }> }).events;
  };
  const reviews = (await audit("access_review.complete")).slice(0, 3).map((e) => e.details);
  expect(reviews).toEqual([
    expect.objectContaining({ kept: 1, converted: 0, removed: 0 }),
    expect.objectContaining({ kept: 0, converted: 0, removed: 1 }),
    expect.objectContaining({ kept: 0, converted: 1, removed: 0, eligibilityCreated: 1 }),
  ]);
  const deletes = (await audit("grant.delete")).filter((e) => e.target?.endsWith(`→ ${operator.email}`));
  expect(deletes.map((e) => e.details)).toEqual([expect.objectContaining({ via: "access-review" }), expect.objectContaining({ via: "access-review", convertedTo: "eligibility" })]);
  expect((await audit("eligibility.create")).some((e) => e.target?.endsWith(`ThirdPartyAuditor → ${operator.email}`))).toBe(true);
  expect((await audit("grant.keep")).some((e) => e.target?.endsWith(`ReadOnly → ${operator.email}`))).toBe(true);
  // And the audit page shows it in words.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/audit?action=access_review.complete");
  await expect(page.locator("main")).toContainText("Completed an access review");

  // The converted grant no longer gives access: gone from the menu, the switch refused.
  const menu = (await (await op.get("/api/v1/me/menu")).json()) as { roles: Array<{ id: string }> };
  expect(menu.roles.map((r) => r.id)).toContain(roleIds.readOnly);
  expect(menu.roles.map((r) => r.id)).not.toContain(roleIds.auditor);
  expect(menu.roles.map((r) => r.id)).not.toContain(testers);
  const refused = await op.post("/api/v1/sessions", { data: { roleId: roleIds.auditor, kind: "credentials" } });
  expect(refused.status(), await refused.text()).toBe(403);
  expect((await reviewList(admin)).lastReview).toMatchObject({ by: ADMIN.email, kept: 1 });

  // A stale page: deciding a grant that is gone changes nothing and says why.
  const stale = await admin.post("/api/v1/access-reviews", { data: { decisions: [{ grantId: used.id, decision: "keep" }, { grantId: toRemove.id, decision: "remove" }] } });
  expect(stale.status()).toBe(400);
  expect(((await stale.json()) as { error: { message: string } }).error.message).toContain("Nothing was changed");
  await admin.dispose();
  await op.dispose();
});
