// What every page and state of the console must pass, checked in real Chromium: no axe-core
// violation of any impact (WCAG 2.2 A and AA, plus axe's best practices), no page wider than its
// viewport, and a screenshot for people to look at (test-results/screens/).
import { mkdirSync, writeFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/** The rule sets the console is held to (https://www.deque.com/axe/core-documentation/api-documentation/#axe-core-tags). */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

export const SCREENS = "test-results/screens";

export type Viewport = { width: number; height: number };
export type Theme = "light" | "dark";

/** One finding, short enough to read in a test failure. */
export type Problem = { state: string; kind: "axe" | "width" | "step"; detail: string };

/** Collects the findings of one pass through the console (one width, one theme), so a run shows
 * every problem at once instead of stopping at the first. */
export class Inspector {
  readonly problems: Problem[] = [];
  readonly checked: Array<{ state: string; violations: number; scrollWidth: number }> = [];

  constructor(
    readonly viewport: Viewport,
    readonly theme: Theme,
  ) {
    mkdirSync(SCREENS, { recursive: true });
  }

  /** axe-core over the whole page as it is now, the page's width, and a screenshot named
   * `<state>-<width>-<theme>.png`. `fullPage` for pages; dialogs and menus are shot as seen. */
  async check(page: Page, state: string, { fullPage = true }: { fullPage?: boolean } = {}): Promise<void> {
    const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    for (const v of results.violations) {
      const nodes = v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim() ?? ""}`);
      this.problems.push({ state, kind: "axe", detail: `${v.id} (${v.impact ?? "?"}, ${v.nodes.length}×): ${v.help} — ${nodes.join(" | ")}` });
    }
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    if (scrollWidth > innerWidth) {
      const wide = await widestElements(page);
      this.problems.push({ state, kind: "width", detail: `the page is ${scrollWidth} px wide in a ${innerWidth} px viewport; widest: ${wide.join(", ")}` });
    }
    this.checked.push({ state, violations: results.violations.length, scrollWidth });
    await page.screenshot({ path: `${SCREENS}/${state}-${this.viewport.width}-${this.theme}.png`, fullPage });
  }

  /** Runs one part of the walk; a failure is recorded and the walk goes on to the next part. */
  async step(state: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.problems.push({ state, kind: "step", detail: String(err instanceof Error ? err.message : err).split("\n").slice(0, 6).join(" ") });
    }
  }

  /** Writes what was checked beside the screenshots (for the record, and for the report). */
  save(name: string): void {
    writeFileSync(`${SCREENS}/${name}-${this.viewport.width}-${this.theme}.json`, JSON.stringify({ checked: this.checked, problems: this.problems }, null, 2));
  }
}

/** The elements that stick out past the viewport's right edge and are not clipped by a box
 * that scrolls on its own, outermost first, to say what makes a page too wide. */
export async function widestElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const limit = window.innerWidth;
    // Whether a box that scrolls (or clips) on its own holds the element in. An absolutely
    // positioned element escapes every box up to its containing block (its nearest positioned
    // ancestor): an sr-only label in a scrolling table still widens the page when the table's
    // box is not positioned.
    const clipped = (el: Element) => {
      let position = getComputedStyle(el).position;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (position === "fixed") return false;
        const style = getComputedStyle(p);
        if (position === "absolute" && style.position === "static") continue;
        if (style.overflowX !== "visible" && p.getBoundingClientRect().right <= limit + 1) return true;
        position = style.position;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= limit + 1 || clipped(el)) continue;
      // Only the outermost: a child of a reported element adds nothing.
      if (out.length && el.parentElement?.closest("[data-a11y-wide]")) continue;
      el.setAttribute("data-a11y-wide", "");
      const id = el.getAttribute("data-testid") ?? el.id;
      const cls = typeof el.className === "string" ? el.className.split(" ").slice(0, 4).join(".") : "";
      out.push(`${el.tagName.toLowerCase()}${id ? `#${id}` : ""}${cls ? `.${cls}` : ""} (right ${Math.round(r.right)})`);
      if (out.length >= 5) break;
    }
    for (const el of Array.from(document.querySelectorAll("[data-a11y-wide]"))) el.removeAttribute("data-a11y-wide");
    return out;
  });
}
