import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { parseTheme, THEME_COOKIE } from "@/components/ui/theme";
import "./globals.css";

// Every page depends on who is asking, and the Content-Security-Policy nonce is per request:
// nothing is prerendered at build time (which also keeps production secrets out of the build).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Switchboard", template: "%s · Switchboard" },
  description: "Switch into your team's AWS accounts and roles.",
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme is on the first paint: globals.css reads data-theme (and, for "system", the
  // operating system's setting), so no script has to run before the page shows.
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
