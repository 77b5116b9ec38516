// How other parts of the console talk to the Switch Role menu in the header. Browser-only.
//
// - Opening it from elsewhere on the page (the home page's "Switch into a role"): a window event,
//   since the menu lives in the layout and the page cannot reach its state.
// - Telling it that a switch worked: a BroadcastChannel message. A console switch finishes in
//   another tab (the POST to /switch/<id> opens one), so only that tab knows whether AWS let the
//   console in: its hand-off page announces success, and a failed switch announces nothing, so it
//   never becomes the header's "last used" role. Credentials issued on a page announce it too.
//   BroadcastChannel reaches every same-origin page, this one included, and nothing else.
//   https://developer.mozilla.org/en-US/docs/Web/API/BroadcastChannel

/** The window event that opens the menu (no detail). */
export const OPEN_SWITCH_MENU_EVENT = "switchboard:open-switch-menu";

/** The channel switches are announced on. /switch's hand-off page (app/switch/[roleId]/html.ts)
 * writes the same name in its inline script. */
export const SWITCH_CHANNEL = "switchboard-switch";

/** What a successful switch announces: enough for the header's button, no secret. */
export type SwitchAnnouncement = { type: "switched"; role: { id: string; label: string; accountName: string; color: string } };

export function openSwitchMenu(): void {
  window.dispatchEvent(new Event(OPEN_SWITCH_MENU_EVENT));
}

export function announceSwitch(role: SwitchAnnouncement["role"]): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(SWITCH_CHANNEL);
  channel.postMessage({ type: "switched", role } satisfies SwitchAnnouncement);
  channel.close();
}

/** A message from the channel, read defensively: any page of this origin may post to it. */
export function readAnnouncement(data: unknown): SwitchAnnouncement | null {
  if (!data || typeof data !== "object" || (data as { type?: unknown }).type !== "switched") return null;
  const role = (data as { role?: unknown }).role;
  if (!role || typeof role !== "object") return null;
  const { id, label, accountName, color } = role as Record<string, unknown>;
  if (typeof id !== "string" || typeof label !== "string" || typeof accountName !== "string" || typeof color !== "string") return null;
  return { type: "switched", role: { id, label, accountName, color } };
}

/** Calls `onSwitch` for every switch announced from now on; returns the unsubscribe. */
export function listenForSwitches(onSwitch: (role: SwitchAnnouncement["role"]) => void): () => void {
  if (typeof BroadcastChannel === "undefined") return () => {};
  const channel = new BroadcastChannel(SWITCH_CHANNEL);
  channel.onmessage = (e: MessageEvent) => {
    const announcement = readAnnouncement(e.data);
    if (announcement) onSwitch(announcement.role);
  };
  return () => channel.close();
}
