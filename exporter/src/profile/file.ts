// Saves and loads profiles as JSON. JSON has no ±Infinity or NaN: they are written as strings.
import { readFile, writeFile } from 'node:fs/promises';
import { PROFILE_FORMAT, type Profile } from './types.ts';

const SPECIAL_OUT = new Map<number, string>([
  [Infinity, '+Inf'],
  [-Infinity, '-Inf'],
]);
const SPECIAL_IN: Record<string, number> = { '+Inf': Infinity, '-Inf': -Infinity, NaN: NaN };

export function stringifyProfile(profile: object, indent?: number): string {
  return JSON.stringify(
    profile,
    (_key, value: unknown) => {
      if (typeof value !== 'number') return value;
      if (Number.isNaN(value)) return 'NaN';
      return SPECIAL_OUT.get(value) ?? value;
    },
    indent,
  );
}

export function parseProfile(text: string, source: string): Profile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: invalid JSON: ${(err as Error).message}`);
  }
  const profile = value as Profile;
  if (profile?.format !== PROFILE_FORMAT) {
    throw new Error(`${source}: not an mlmon profile (format must be "${PROFILE_FORMAT}")`);
  }
  if (typeof profile.features !== 'object' || typeof profile.hash !== 'string') {
    throw new Error(`${source}: profile lacks "features" or "hash"`);
  }
  for (const feature of [...Object.values(profile.features), profile.prediction]) {
    if (feature?.type !== 'numeric') continue;
    // Only numeric fields are revived: a category may well be named "NaN".
    feature.min = revive(feature.min);
    feature.max = revive(feature.max);
    feature.mean = revive(feature.mean);
    feature.std = revive(feature.std);
  }
  return profile;
}

function revive(value: unknown): number {
  return typeof value === 'string' ? (SPECIAL_IN[value] ?? NaN) : (value as number);
}

export async function saveProfile(profile: Profile, path: string): Promise<void> {
  await writeFile(path, stringifyProfile(profile, 1) + '\n');
}

export async function loadProfile(path: string): Promise<Profile> {
  return parseProfile(await readFile(path, 'utf8'), path);
}
