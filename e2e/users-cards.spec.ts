// The Users page on a phone: each person is a card (no table to scroll sideways), and every
// action the table offers is there, in reach, and works.
import { createUser, expect, signInAsAdmin, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { shootBothThemes } from "./support/screens";

test.use({ viewport: { width: 390, height: 844 } });

test("[USERS]: on a phone every person is a card with all their actions", async ({ page, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(api);
  const email = uniqueEmail("carla.card");
  await createUser(api, { email, name: "Carla Card", password: "carla-card-password", role: "operator" });
  await api.dispose();

  await signInWithForm(page, ADMIN.email, ADMIN.password, "/users");
  const card = page.getByTestId(`user-row-${email}`);
  await expect(card).toBeVisible();
  await expect(page.locator("main table")).toHaveCount(0);
  await expect(card).toHaveJSProperty("tagName", "LI");
  for (const name of ["Reset password", "Revoke AWS sessions", "Disable"]) {
    const button = card.getByRole("button", { name });
    await expect(button).toBeVisible();
    // Within the phone's width (the page scrolls down to it, never sideways).
    await button.scrollIntoViewIfNeeded();
    const box = (await button.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  await expect(card.getByLabel(`Console role of ${email}`)).toBeVisible();
  await expect(card.getByRole("button", { name: new RegExp(`granted to ${email.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: show`) })).toBeVisible();
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  await shootBothThemes(page, "users-cards-390");

  // The actions work from the card: change the console role, then disable and enable again.
  await card.getByLabel(`Console role of ${email}`).selectOption("auditor");
  await expect(page.locator("main").getByRole("status")).toHaveText(`${email} is now auditor.`);
  await card.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("dialog", { name: "Disable this person?" }).getByRole("button", { name: "Disable" }).click();
  await expect(page.locator("main").getByRole("status")).toHaveText(`${email} is disabled and signed out.`);
  await expect(card).toContainText("Disabled");
  await card.getByRole("button", { name: "Enable" }).click();
  await expect(card.getByRole("button", { name: "Disable" })).toBeVisible();

  // Wider than a phone it is the table again.
  await page.setViewportSize({ width: 1024, height: 800 });
  await expect(page.locator("main table")).toBeVisible();
  await expect(page.getByTestId(`user-row-${email}`)).toHaveJSProperty("tagName", "TR");
});
