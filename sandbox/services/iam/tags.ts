// Tags on IAM resources: at most 50, keys unique regardless of case, and the "aws:" prefix
// reserved. The model already checks each key's and value's length and characters.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#id_tags_rules
import { invalidInput } from "../../core/errors";
import type { Tag } from "../../core/state";
import { quota, quotaExceeded } from "./quotas";

/** Checks the tags of one request and returns them as stored. */
export function requestTags(tags: Tag[] | undefined): Tag[] {
  const seen = new Set<string>();
  for (const tag of tags ?? []) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key)) throw invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    if (key.startsWith("aws:")) throw invalidInput(`Tag key ${tag.Key} is not allowed: keys starting with "aws:" are reserved for AWS.`);
    seen.add(key);
  }
  return (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }));
}

/** TagRole: a key that is already there (in any case) gets the new value. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = [...existing];
  for (const tag of requestTags(added)) {
    const i = merged.findIndex((t) => t.Key.toLowerCase() === tag.Key.toLowerCase());
    if (i >= 0) merged[i] = tag;
    else merged.push(tag);
  }
  if (merged.length > quota("TagsPerRole")) throw quotaExceeded("TagsPerRole");
  return merged;
}

/** UntagRole: keys that are not there are ignored, as in AWS. */
export function removeTags(existing: Tag[], keys: string[]): Tag[] {
  const removed = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !removed.has(t.Key.toLowerCase()));
}

/** Tags in an output, omitted when there are none (as AWS does). */
export const tagsOutput = (tags: Tag[]) => (tags.length ? { Tags: tags.map((t) => ({ ...t })) } : {});
