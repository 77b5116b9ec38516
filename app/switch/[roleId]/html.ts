// The small HTML pages the /switch route answers with (it is a route handler, not a React page:
// switching has side effects, which must not happen while rendering a page).

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = `
  body{margin:0;font:15px/1.5 ui-sans-serif,system-ui,-apple-system,"Segoe UI",sans-serif;background:#f1f5f9;color:#0f172a}
  main{max-width:30rem;margin:10vh auto;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:2rem;box-shadow:0 1px 2px rgb(0 0 0/.05)}
  h1{font-size:1.25rem;margin:0 0 .5rem} p{color:#475569;margin:.5rem 0}
  dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1.25rem 0} dt{color:#64748b} dd{margin:0;font-weight:500;word-break:break-all}
  .bar{display:inline-block;width:.5rem;height:1rem;border-radius:2px;vertical-align:-2px;margin-right:.4rem}
  button,a.button{display:inline-block;border:0;border-radius:.375rem;padding:.5rem 1rem;font:inherit;font-weight:500;cursor:pointer;text-decoration:none}
  .primary{background:#4f46e5;color:#fff} .secondary{background:#fff;color:#0f172a;border:1px solid #cbd5e1} .actions{display:flex;gap:.5rem;margin-top:1.5rem}
  .error{border-left:4px solid #dc2626;padding-left:1rem} pre{background:#f8fafc;border:1px solid #e2e8f0;padding:.75rem;border-radius:.375rem;overflow:auto;font-size:.8rem}`;

export function page(title: string, body: string, nonce?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escape(title)} · Switchboard</title><style${nonce ? ` nonce="${escape(nonce)}"` : ""}>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export type SwitchTarget = { roleId: string; roleLabel: string; roleArn: string; accountName: string; accountId: string; environment: string; color: string; region: string };

/** "Back to the console": a button (a GET form to the home page), not a bare link. */
const BACK = `<form method="get" action="/"><button class="secondary" type="submit">Back to the console</button></form>`;

function targetList(t: SwitchTarget): string {
  return `<dl><dt>Account</dt><dd><span class="bar" style="background:${escape(t.color)}"></span>${escape(t.accountName)} (${escape(t.accountId)})</dd><dt>Environment</dt><dd>${escape(t.environment)}</dd><dt>Role</dt><dd>${escape(t.roleLabel)}</dd><dt>ARN</dt><dd>${escape(t.roleArn)}</dd><dt>Region</dt><dd>${escape(t.region)}</dd></dl>`;
}

/** Shown when the link was opened from outside the console: what it will open, and one click. */
export function confirmPage(t: SwitchTarget, action: string, nonce?: string): string {
  return page(
    "Open the AWS console?",
    `<h1 data-testid="switch-confirm">Open the AWS console?</h1><p>A link asks to sign you in to the AWS console with this role. Continue only if you meant to.</p>${targetList(t)}<form method="post" action="${escape(action)}"><div class="actions"><button class="primary" type="submit" autofocus>Open the AWS console</button><button class="secondary" type="submit" formmethod="get" formaction="/">Cancel</button></div></form>`,
    nonce,
  );
}

/** Hands the tab to the AWS sign-in endpoint with a POST, so the sign-in token is never in a
 * URL, history or Referer. */
export function handoffPage(form: { action: string; fields: Record<string, string> }, t: SwitchTarget, nonce: string | undefined): string {
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
  );
}

export function errorPage(title: string, message: string, nonce?: string): string {
  return page(title, `<div class="error"><h1>${escape(title)}</h1><p>${escape(message)}</p></div><div class="actions">${BACK}</div>`, nonce);
}
