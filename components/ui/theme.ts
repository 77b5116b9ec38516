// The colour theme a person picked: "system" (follow the operating system), "light" or "dark".
// Kept in a cookie the server reads (app/layout.tsx writes it onto <html data-theme>), so the
// first paint is already right with no script, which the nonce CSP in proxy.ts would otherwise
// have to allow. Shared: the server parses the cookie, the browser writes it.
import { z } from "zod";

export const THEME_COOKIE = "switchboard-theme";

export const THEME_CHOICES = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

export const THEME_LABELS: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

/** Anything else (no cookie, an old or forged value) is "system". */
const themeChoice = z.enum(THEME_CHOICES).catch("system");

export const parseTheme = (value: string | undefined): ThemeChoice => themeChoice.parse(value);

/** A year: a preference, not a session; it carries nothing about the person. */
const MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** Browser only: switches the page at once and remembers the choice for the next requests. */
export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = choice;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${THEME_COOKIE}=${choice}; Path=/; Max-Age=${MAX_AGE_SECONDS}; SameSite=Lax${secure}`;
  for (const listener of listeners) listener();
}

// Every theme switch on the page (the user menu and the phone menu) shows the same choice.
const listeners = new Set<() => void>();

export function subscribeTheme(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const currentTheme = (): ThemeChoice => parseTheme(document.documentElement.dataset.theme);
