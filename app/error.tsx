"use client";

import { Button } from "@/components/ui/button";

/** Unexpected failures: a plain message and the digest that matches the server log, never the
 * error's own text (it may describe internals). */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4">
      <div className="max-w-md text-center">
        <h1 className="text-xl font-semibold text-slate-900">Something went wrong</h1>
        <p className="mt-2 text-sm text-slate-600">
          The console could not finish this request. Try again; if it keeps happening, give an administrator this reference:{" "}
          <span className="font-mono">{error.digest ?? "none"}</span>.
        </p>
        <Button className="mt-6" onClick={reset}>
          Try again
        </Button>
      </div>
    </main>
  );
}
