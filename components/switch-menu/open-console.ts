// Opening the AWS console for a role from the menu. Browser-only.
import type { MenuRole } from "@/lib/catalog/menu-types";

/** The switch route for a role: /switch/<id>?region=…; a GET of it shows what it opens and
 * waits for a click, a POST issues the session. */
export const switchUrl = (role: Pick<MenuRole, "id">, region: string) => `/switch/${encodeURIComponent(role.id)}?${new URLSearchParams({ region })}`;

let opened = 0;

/** Opens the AWS console in a new tab with a POST to /switch/<id> from this page: only such a
 * POST issues a session (a GET of the same URL, from a bookmark or a shared link, shows what it
 * opens and waits for a click). With the user's activation, and without giving the new tab a
 * handle on this one.
 *
 * False when the browser blocked the tab (nothing was sent): the caller says so and offers the
 * link. A form with target="_blank" gives no such answer, so the tab is opened first, empty and
 * named, with window.open (which answers null when blocked), and the form is posted into it.
 * Its window.opener is cut right away, as rel="noopener" would: the console's page never gets a
 * handle on this one. https://html.spec.whatwg.org/multipage/nav-history-apis.html#dom-opener */
export function openInNewTab(url: string): boolean {
  const name = `switchboard-console-${Date.now().toString(36)}-${++opened}`;
  const tab = window.open("about:blank", name);
  if (!tab) return false;
  tab.opener = null;
  const form = document.createElement("form");
  form.method = "post";
  form.action = url;
  form.target = name;
  form.hidden = true;
  document.body.appendChild(form);
  form.submit();
  form.remove();
  return true;
}
