import { ShieldX } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4">
      <div className="max-w-md text-center">
        <ShieldX className="mx-auto h-10 w-10 text-slate-400" aria-hidden />
        <h1 className="mt-3 text-xl font-semibold text-slate-900">You do not have access to this page</h1>
        <p className="mt-2 text-sm text-slate-600">Your console role does not include it. If you need it, ask an administrator to change your role.</p>
        <Link href="/" className={buttonClass("secondary", "md", "mt-6")}>
          Back to the console
        </Link>
      </div>
    </main>
  );
}
