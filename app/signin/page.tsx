import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/guard";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getConfig } from "@/lib/config";
import { unsafeHasUsers } from "@/lib/users/bootstrap";
import { SignInForm } from "./signin-form";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const config = getConfig();
  const callbackUrl = safeCallbackPath(first(params.callbackUrl), config.baseUrl);
  if (await getActor()) redirect(callbackUrl);
  const needsSetup = !(await unsafeHasUsers());
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 px-4">
      <SignInForm
        callbackUrl={callbackUrl}
        error={first(params.error)?.slice(0, 200)}
        notice={first(params.signedOut) ? "signedOut" : first(params.setup) ? "setup" : undefined}
        oidcName={config.oidc?.name}
        needsSetup={needsSetup}
        sandbox={Boolean(config.aws.sandboxUrl)}
      />
    </main>
  );
}
