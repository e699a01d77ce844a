import { createHash } from 'node:crypto';
import { stringifyProfile } from './file.ts';
import type { Profile } from './types.ts';

/** A stable content hash: the same reference data and settings give the same hash. */
export function hashProfile(profile: Omit<Profile, 'hash'>): string {
  const { hash: _ignored, ...content } = profile as Profile;
  return createHash('sha256').update(stringifyProfile(content)).digest('hex').slice(0, 16);
}
