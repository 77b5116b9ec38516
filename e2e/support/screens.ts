// Screenshots of a state in both themes, each checked with axe-core, for the specs of the
// operator's home and the switch failure page. (e2e/a11y.spec.ts walks every page the same way.)
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { AXE_TAGS, SCREENS } from "./a11y";

export const screenPath = (name: string) => `${SCREENS}/${name}.png`;

/** axe-core (WCAG 2.2 A/AA and best practices) over the page's own content: no violation of any
 * impact. The header is e2e/a11y.spec.ts's to check. */
export async function expectAccessible(page: Page, state: string) {
  const results = await new AxeBuilder({ page }).include("main").withTags(AXE_TAGS).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ").trim() ?? ""}`).join(" | ")}`);
  expect(found, `axe: ${state}`).toEqual([]);
}

/** `<state>-light.png` and `<state>-dark.png` (the operating system's setting, which the console
 * follows by default), each checked with axe first. Leaves the page in the light theme. */
export async function shootBothThemes(page: Page, state: string, fullPage = true) {
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    // Buttons fade between the themes' colours (transition-colors): measure once they are there.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
    await expectAccessible(page, `${state} (${theme})`);
    await page.screenshot({ path: screenPath(`${state}-${theme}`), fullPage });
  }
  await page.emulateMedia({ colorScheme: "light" });
}
