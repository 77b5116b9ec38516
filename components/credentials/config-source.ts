// The credentials dialog's config tab: where the role profile gets the credentials that assume
// the role, the person's own profile (source_profile, the default) or where the code runs
// (credential_source), remembered in this browser like a setting. Browser-safe; the storage is
// passed in so that tests can hand it their own.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html#cli-configure-role-ec2
import { CREDENTIAL_SOURCE_TEXT, CREDENTIAL_SOURCES, isCredentialSource, type CredentialSource } from "@/lib/aws/credential-formats";

export type ConfigSource = "source_profile" | CredentialSource;

export const CONFIG_SOURCES: readonly ConfigSource[] = ["source_profile", ...CREDENTIAL_SOURCES];

export const CONFIG_SOURCE_KEY = "switchboard.credentials.config-source";

export function configSourceLabel(source: ConfigSource): string {
  return source === "source_profile" ? "Your own profile (source_profile)" : CREDENTIAL_SOURCE_TEXT[source].label;
}

type Store = Pick<Storage, "getItem" | "setItem">;

const browserStore = (): Store | null => {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    // Storage refused (a privacy setting): nothing is remembered.
    return null;
  }
};

/** The choice remembered in this browser; source_profile when there is none, or it is not one. */
export function readConfigSource(store: Store | null = browserStore()): ConfigSource {
  try {
    const value = store?.getItem(CONFIG_SOURCE_KEY);
    return isCredentialSource(value) ? value : "source_profile";
  } catch {
    return "source_profile";
  }
}

export function saveConfigSource(source: ConfigSource, store: Store | null = browserStore()): void {
  try {
    store?.setItem(CONFIG_SOURCE_KEY, source);
  } catch {
    // Full or refused: the choice lasts for this dialog only.
  }
}
