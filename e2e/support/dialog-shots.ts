// A dialog at both widths and in both themes: axe-core over the dialog, the page no wider than
// its viewport, and a screenshot for people to look at (test-results/screens/).
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";
import { AXE_TAGS } from "./a11y";
import { screenPath } from "./screens";

/** axe-core over the open dialog only. */
export async function axeOnDialog(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).include("dialog[open]").withTags(AXE_TAGS).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`),
    `axe: ${state}`,
  ).toEqual([]);
}

/** The open dialog at 1440 and 390 px, light and dark, each checked and saved as
 * `<name>-<width>-<theme>.png`; the page is left at 1440 px, light. `noSidewaysInside`: also
 * nothing in the dialog scrolls sideways (for dialogs without a table that scrolls in its box). */
export async function shootDialog(page: Page, dialog: Locator, name: string, { noSidewaysInside = false }: { noSidewaysInside?: boolean } = {}): Promise<void> {
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    for (const theme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
      await axeOnDialog(page, `${name} ${viewport.width} ${theme}`);
      const widths = await page.evaluate(() => {
        const open = document.querySelector("dialog[open]");
        return { page: document.documentElement.scrollWidth, viewport: window.innerWidth, dialog: open?.scrollWidth ?? 0, dialogBox: open?.clientWidth ?? 0 };
      });
      expect(widths.page, `${name} at ${viewport.width} px: the page is no wider than the viewport`).toBeLessThanOrEqual(widths.viewport);
      if (noSidewaysInside) expect(widths.dialog, `${name} at ${viewport.width} px: nothing in the dialog scrolls sideways`).toBeLessThanOrEqual(widths.dialogBox);
      await dialog.screenshot({ path: screenPath(`${name}-${viewport.width}-${theme}`) });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1440, height: 900 });
}
