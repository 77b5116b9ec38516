import { PageHeader } from "@/components/ui/page-header";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { formatUserCode, normalizeUserCode } from "@/lib/device/codes";
import { DeviceClient } from "./device-client";

export const metadata = { title: "Sign in a command line" };

// Where `switchboard login` sends a person (RFC 8628 §3.3: verification_uri, and
// verification_uri_complete with ?code=). Signed out, the proxy and requirePage send them
// through the sign-in and back here with the code. Anyone signed in may open it; deciding needs
// the right to switch (the actions check it), and the page says so to those without.
export default async function DevicePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage();
  const params = await searchParams;
  const raw = Array.isArray(params.code) ? params.code[0] : params.code;
  // Only a well-formed code is put in the field; anything else in the address is dropped.
  const normalized = raw ? normalizeUserCode(raw.slice(0, 32)) : null;
  return (
    <>
      <PageHeader title="Sign in a command line" description="Approve a switchboard login started in your terminal, so that it can list your roles and switch into them as you." />
      <DeviceClient initialCode={normalized ? formatUserCode(normalized) : ""} canApprove={hasPermission(actor, "sessions.create")} role={actor.role} />
    </>
  );
}
