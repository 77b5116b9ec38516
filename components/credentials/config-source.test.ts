import { describe, expect, it } from "vitest";
import { CONFIG_SOURCE_KEY, CONFIG_SOURCES, configSourceLabel, readConfigSource, saveConfigSource } from "./config-source";

/** A Storage as the browser has one, in memory. */
function memoryStore(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

describe("the config tab's remembered source", () => {
  it("is source_profile until something else is chosen, then what was chosen", () => {
    const store = memoryStore();
    expect(readConfigSource(store)).toBe("source_profile");
    saveConfigSource("Ec2InstanceMetadata", store);
    expect(store.items.get(CONFIG_SOURCE_KEY)).toBe("Ec2InstanceMetadata");
    expect(readConfigSource(store)).toBe("Ec2InstanceMetadata");
    saveConfigSource("source_profile", store);
    expect(readConfigSource(store)).toBe("source_profile");
  });

  it.each(["ec2instancemetadata", "Ec2InstanceMetadata\nsource_profile = x", "", "{}"])("reads %j as source_profile: only a source the AWS CLI knows is taken", (value) => {
    expect(readConfigSource(memoryStore({ [CONFIG_SOURCE_KEY]: value }))).toBe("source_profile");
  });

  it("survives storage that refuses, or no storage at all", () => {
    const refusing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(readConfigSource(refusing)).toBe("source_profile");
    expect(() => saveConfigSource("Environment", refusing)).not.toThrow();
    expect(readConfigSource(null)).toBe("source_profile");
  });

  it("names each choice with its setting", () => {
    expect(CONFIG_SOURCES.map(configSourceLabel)).toEqual([
      "Your own profile (source_profile)",
      "EC2 instance role (Ec2InstanceMetadata)",
      "ECS task role (EcsContainer)",
      "Environment variables (Environment)",
    ]);
  });
});
