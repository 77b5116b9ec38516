// Signing out from the header (the user menu or, on a phone, the header's menu).
import { signOut } from "next-auth/react";
import { clearDrafts } from "@/components/wizard/draft";

export function signOutHere(): void {
  // Wizard drafts can name accounts, roles and policies: not for the next person here.
  try {
    clearDrafts(window.localStorage);
  } catch {
    // storage unavailable: nothing was kept
  }
  void signOut({ callbackUrl: "/signin?signedOut=1" });
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase() || "?";
}
