// The small HTML pages the /switch route answers with (it is a route handler, not a React page:
// switching has side effects, which must not happen while rendering a page).
import type { ThemeChoice } from "@/components/ui/theme";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// Colours as the console's own pages have them (app/globals.css): light-dark() picks by the page's
// color-scheme, which the theme cookie pins ("light", "dark") or leaves to the operating system
// ("system": light dark). All CSS, no script: the strict CSP (no inline script without the
// nonce) holds, and the first paint is already in the right theme. Text pairs are at least
// WCAG AA (4.5:1) in both: slate-600/#fff 7.6:1 and slate-300/#1e293b 9.9:1 for body text,
// slate-500/#fff 4.8:1 and slate-400/#1e293b 5.7:1 for labels, white on indigo-600 6.3:1.
const STYLE = `
  :root{color-scheme:light dark} :root[data-theme="light"]{color-scheme:light} :root[data-theme="dark"]{color-scheme:dark}
  body{margin:0;font:15px/1.5 ui-sans-serif,system-ui,-apple-system,"Segoe UI",sans-serif;background:light-dark(#f1f5f9,#0f172a);color:light-dark(#0f172a,#f1f5f9)}
  main{max-width:30rem;margin:10vh auto;background:light-dark(#fff,#1e293b);border:1px solid light-dark(#e2e8f0,#334155);border-radius:.75rem;padding:2rem;box-shadow:0 1px 2px rgb(0 0 0/.05)}
  @media (max-width:34rem){main{margin:1rem;padding:1.25rem}}
  h1{font-size:1.25rem;margin:0 0 .5rem} p{color:light-dark(#475569,#cbd5e1);margin:.5rem 0}
  dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1.25rem 0} dt{color:light-dark(#64748b,#94a3b8)} dd{margin:0;font-weight:500;overflow-wrap:anywhere} .nowrap{white-space:nowrap}
  .bar{display:inline-block;width:.5rem;height:1rem;border-radius:2px;vertical-align:-2px;margin-right:.4rem}
  button,a.button{display:inline-block;border:0;border-radius:.375rem;padding:.5rem 1rem;font:inherit;font-weight:500;cursor:pointer;text-decoration:none}
  button:focus-visible{outline:2px solid light-dark(#4f46e5,#a5b4fc);outline-offset:2px}
  .primary{background:#4f46e5;color:#fff} .secondary{background:light-dark(#fff,#1e293b);color:light-dark(#0f172a,#f1f5f9);border:1px solid light-dark(#cbd5e1,#475569)} .actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1.5rem}
  .error{border-left:4px solid light-dark(#dc2626,#f87171);padding-left:1rem} pre{background:light-dark(#f8fafc,#0f172a);border:1px solid light-dark(#e2e8f0,#334155);padding:.75rem;border-radius:.375rem;overflow:auto;font-size:.8rem}`;

/** The person's theme choice (the console's cookie, components/ui/theme.ts) on <html>, as
 * app/layout.tsx writes it for the React pages. */
export function page(title: string, body: string, nonce?: string, theme: ThemeChoice = "system"): string {
  return `<!doctype html><html lang="en" data-theme="${escape(theme)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="color-scheme" content="${theme === "system" ? "light dark" : theme}"><title>${escape(title)} · Switchboard</title><style${nonce ? ` nonce="${escape(nonce)}"` : ""}>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export type SwitchTarget = { roleId: string; roleLabel: string; roleArn: string; accountName: string; accountId: string; environment: string; color: string; region: string };

/** "Back to the console": a button (a GET form to the home page), not a bare link. */
const BACK = `<form method="get" action="/"><button class="secondary" type="submit">Back to the console</button></form>`;

function targetList(t: SwitchTarget): string {
  return `<dl><dt>Account</dt><dd><span class="bar" style="background:${escape(t.color)}"></span>${escape(t.accountName)} <span class="nowrap" data-testid="switch-confirm-account-id">(${escape(t.accountId)})</span></dd><dt>Environment</dt><dd>${escape(t.environment)}</dd><dt>Role</dt><dd>${escape(t.roleLabel)}</dd><dt>ARN</dt><dd>${breakable(escape(t.roleArn))}</dd><dt>Region</dt><dd>${escape(t.region)}</dd></dl>`;
}

/** Shown when the link was opened from outside the console: what it will open, and one click. */
export function confirmPage(t: SwitchTarget, action: string, nonce?: string, theme?: ThemeChoice): string {
  return page(
    "Open the AWS console?",
    `<h1 data-testid="switch-confirm">Open the AWS console?</h1><p>A link asks to sign you in to the AWS console with this role. Continue only if you meant to.</p>${targetList(t)}<form method="post" action="${escape(action)}"><div class="actions"><button class="primary" type="submit" autofocus>Open the AWS console</button><button class="secondary" type="submit" formmethod="get" formaction="/">Cancel</button></div></form>`,
    nonce,
    theme,
  );
}

/** Hands the tab to the AWS sign-in endpoint with a POST, so the sign-in token is never in a
 * URL, history or Referer. */
export function handoffPage(form: { action: string; fields: Record<string, string> }, t: SwitchTarget, nonce: string | undefined, theme?: ThemeChoice): string {
  const inputs = Object.entries(form.fields)
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
    .join("");
  // Tells the console's other pages that the switch worked (components/switch-menu/events.ts,
  // SWITCH_CHANNEL), so the header names this role as the last one used; a failed switch never
  // reaches this page. JSON in a script: "<" escaped so no value can close the element.
  const announcement = JSON.stringify({ type: "switched", role: { id: t.roleId, label: t.roleLabel, accountName: t.accountName, color: t.color } }).replace(/</g, "\\u003c");
  const script = nonce
    ? `<script nonce="${escape(nonce)}">try{new BroadcastChannel("switchboard-switch").postMessage(${announcement})}catch(e){}document.getElementById("handoff").submit();</script>`
    : "";
  return page(
    "Opening the AWS console",
    `<h1>Opening the AWS console…</h1><p>Signing you in to ${escape(t.accountName)} as ${escape(t.roleLabel)} in ${escape(t.region)}.</p><form id="handoff" method="post" action="${escape(form.action)}">${inputs}<div class="actions"><button class="primary" type="submit">Continue to the AWS console</button></div></form>${script}`,
    nonce,
    theme,
  );
}

export function errorPage(title: string, message: string, nonce?: string, theme?: ThemeChoice): string {
  return page(title, `<div class="error"><h1>${escape(title)}</h1><p>${escape(message)}</p></div><div class="actions">${BACK}</div>`, nonce, theme);
}

/** An escaped ARN that may wrap after its colons and slashes rather than inside the account id. */
function breakable(escapedArn: string): string {
  return escapedArn.replace(/([:/])/g, "$1<wbr>");
}

