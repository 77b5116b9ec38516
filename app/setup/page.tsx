import { notFound } from "next/navigation";
import { unsafeHasUsers } from "@/lib/users/bootstrap";
import { SetupForm } from "./setup-form";

export const metadata = { title: "Set up" };

/** Exists only while the console has no users. The setup token comes from the server's log,
 * usually as part of the link printed there (`/setup?token=…`). */
export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await unsafeHasUsers()) notFound();
  const token = (await searchParams).token;
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 px-4">
      <SetupForm token={typeof token === "string" ? token.slice(0, 200) : ""} />
    </main>
  );
}
