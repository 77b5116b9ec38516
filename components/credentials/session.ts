// POST /api/v1/sessions with kind "credentials": temporary credentials for one role, for the
// person asking only (the answer is `Cache-Control: no-store`). Browser-safe. The result lives
// in the dialog's state and nowhere else: never logged, never stored, never in a URL.
import type { TemporaryCredentials } from "@/lib/aws/credential-formats";
import { ApiError, requestJson } from "@/components/api/client";

export type CredentialsSession = {
  credentials: TemporaryCredentials;
  region: string;
  assumedRoleArn: string;
  roleArn: string;
  expiresAt: string;
  profileName: string;
  sessionName: string;
  externalId: string | null;
  durationSeconds: number;
  /** The longest length the console grants this person in this entry now. */
  maxDurationSeconds?: number;
  accountName: string;
  roleLabel: string;
  /** Server clock minus this browser's clock (ms), from the Date header, so the countdown is
   * right even on a laptop whose clock is off. */
  clockSkewMs: number;
};

function isSession(value: unknown): value is Omit<CredentialsSession, "clockSkewMs"> {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const c = v.credentials as Record<string, unknown> | undefined;
  return (
    typeof c === "object" &&
    c !== null &&
    typeof c.accessKeyId === "string" &&
    typeof c.secretAccessKey === "string" &&
    typeof c.sessionToken === "string" &&
    typeof c.expiration === "string" &&
    typeof v.region === "string" &&
    typeof v.roleArn === "string" &&
    typeof v.expiresAt === "string" &&
    typeof v.profileName === "string" &&
    typeof v.sessionName === "string" &&
    typeof v.durationSeconds === "number"
  );
}

/** `durationSeconds`: the length asked for; without it, the entry's default (see lengths.ts). */
export async function requestCredentials(roleId: string, region: string | undefined, signal?: AbortSignal, durationSeconds?: number): Promise<CredentialsSession> {
  let skew = 0;
  const payload = await requestJson<unknown>("/api/v1/sessions", {
    method: "POST",
    body: { roleId, kind: "credentials", ...(region ? { region } : {}), ...(durationSeconds ? { durationSeconds } : {}) },
    signal,
    onResponse: (res) => {
      const date = Date.parse(res.headers.get("Date") ?? "");
      // The header has whole seconds; only a skew larger than that is worth correcting.
      if (!Number.isNaN(date) && Math.abs(date - Date.now()) > 2000) skew = date - Date.now();
    },
  });
  if (!isSession(payload)) throw new ApiError(200, { code: "bad_response", message: "The console sent credentials this page cannot read. Reload the page and try again." });
  return { ...payload, clockSkewMs: skew };
}
