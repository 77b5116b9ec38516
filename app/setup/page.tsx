import { notFound } from "next/navigation";
import { unsafeHasUsers } from "@/lib/users/bootstrap";
import { SetupForm } from "./setup-form";

export const metadata = { title: "Set up" };

/** Exists only while the console has no users. */
export default async function SetupPage() {
  if (await unsafeHasUsers()) notFound();
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 px-4">
      <SetupForm />
    </main>
  );
}
