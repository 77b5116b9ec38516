import "server-only";
import { randomBytes } from "node:crypto";
import { getConfig } from "@/lib/config";

/** The secret that signs and encrypts sessions: NEXTAUTH_SECRET, or — outside production, where
 * the configuration allows it to be unset — a random secret for this process, kept across
 * dev-server reloads (sessions then end when the process restarts). */
export function authSecret(): string {
  const configured = getConfig().authSecret;
  if (configured) return configured;
  const g = globalThis as { __switchboardDevSecret?: string };
  g.__switchboardDevSecret ??= randomBytes(32).toString("base64");
  return g.__switchboardDevSecret;
}
