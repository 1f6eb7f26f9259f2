/** Schema groups: the members whose schema fingerprints are equal, named after the fingerprint. */

export interface SchemaGroup {
  /** `schema-` and the fingerprint's first 8 digits: the same name for the same schema on every run. */
  readonly name: string;
  readonly schemaFingerprint: string;
  /** Member names, in fleet order. */
  readonly members: readonly string[];
}

export function groupName(fingerprint: string): string {
  return `schema-${fingerprint.slice(0, 8)}`;
}

/** Groups in order of their first member; members that failed (no fingerprint) belong to none. */
export function schemaGroups(fingerprints: readonly { readonly name: string; readonly fingerprint: string | null }[]): SchemaGroup[] {
  const byFingerprint = new Map<string, string[]>();
  for (const { name, fingerprint } of fingerprints) {
    if (fingerprint === null) continue;
    const members = byFingerprint.get(fingerprint) ?? [];
    members.push(name);
    byFingerprint.set(fingerprint, members);
  }
  return [...byFingerprint].map(([fp, members]) => ({ name: groupName(fp), schemaFingerprint: fp, members }));
}

/** The group `--group` names: by its name, or by the name of one of its members. */
export function findGroup(groups: readonly SchemaGroup[], name: string): SchemaGroup | undefined {
  return groups.find((g) => g.name === name) ?? groups.find((g) => g.members.includes(name));
}
