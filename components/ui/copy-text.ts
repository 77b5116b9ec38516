// Copying text from a click. Browser-only.

/** Copies `text`; false when the browser refused. The Clipboard API exists only in secure
 * contexts (https, localhost), and a console on plain http inside a company network is a real
 * deployment, so the old execCommand route is kept as a fallback. `within` is where the
 * temporary textarea goes: inside a modal <dialog>, the rest of the page is inert and a
 * textarea there could not be selected. */
export async function copyText(text: string, within?: HTMLElement | null): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // denied (permissions, focus): try the fallback
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.setAttribute("aria-hidden", "true");
  area.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;pointer-events:none";
  (within ?? document.body).appendChild(area);
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  try {
    area.select();
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    // The secret is in the DOM only for the duration of this call.
    area.value = "";
    area.remove();
    previous?.focus();
  }
}
