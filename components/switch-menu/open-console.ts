// Opening the AWS console for a role from the menu. Browser-only.
import type { MenuRole } from "@/lib/catalog/menu-types";

/** The switch route for a role: /switch/<id>?region=…; a GET of it shows what it opens and
 * waits for a click, a POST issues the session. */
export const switchUrl = (role: Pick<MenuRole, "id">, region: string) => `/switch/${encodeURIComponent(role.id)}?${new URLSearchParams({ region })}`;

/** Opens the AWS console in a new tab with a POST to /switch/<id> from this page: only such a
 * POST issues a session (a GET of the same URL, from a bookmark or a shared link, shows what it
 * opens and waits for a click). With the user's activation, and without giving the new tab a
 * handle on this one. */
export function openInNewTab(url: string) {
  const form = document.createElement("form");
  form.method = "post";
  form.action = url;
  form.target = "_blank";
  form.rel = "noopener";
  form.hidden = true;
  document.body.appendChild(form);
  form.submit();
  form.remove();
}
