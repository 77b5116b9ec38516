import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-indigo-600">404</p>
        <h1 className="mt-1 text-xl font-semibold text-slate-900">There is nothing here</h1>
        <p className="mt-2 text-sm text-slate-600">The page does not exist, or it no longer applies.</p>
        <Link href="/" className={buttonClass("secondary", "md", "mt-6")}>
          Back to the console
        </Link>
      </div>
    </main>
  );
}
