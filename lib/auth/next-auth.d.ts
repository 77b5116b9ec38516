// The session and token carry only what the guard needs to find the user in the store and
// check that the session is still current. Role and permissions are read from the store on
// every request, never trusted from the cookie.
import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    uid: string;
    /** The user's session version when this session began. */
    sv: number;
    /** Epoch seconds of the sign-in (absolute session lifetime starts here). */
    authAt: number;
  }
  interface User {
    sv?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    sv?: number;
    authAt?: number;
    /** The console_sessions row of this sign-in (idle timeout, step-up). */
    sid?: string;
  }
}
