// The role wizard's steps as a person goes through them, shared by the wizard specs.
import type { Page } from "@playwright/test";
import { expect } from "../fixtures";

/** On Review, once the plan is in: accept the warnings (errors would block Create) and create.
 * A change on Review (attaching a source-side policy) plans again and asks for the
 * acknowledgement again, so this waits until Create is enabled rather than looking once. */
export async function createFromReview(page: Page): Promise<void> {
  await expect(page.getByTestId("wizard-trust-policy")).toBeVisible();
  const ack = page.getByRole("checkbox", { name: /create the role anyway/ });
  const createButton = page.getByTestId("wizard-create");
  await expect(async () => {
    if ((await ack.isVisible()) && !(await ack.isChecked())) await ack.check();
    await expect(createButton).toBeEnabled({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
  await createButton.click();
}
