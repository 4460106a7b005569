import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNikHasher, nikHashScope } from '../../../renderer/src/data/nik-hash';
import { makeNik } from '../machines/fixtures';

// The NIK's keyed hash with the branch-wide key from HQ: two PCs of one branch (different database
// keys) hash a NIK the same way; another branch, a local key or the database key alone do not.

const key = () => randomBytes(32).toString('base64');
const NIK = makeNik('1979-11-23', 'male', 12);

describe('branch-wide NIK hash', () => {
  it('two PCs of a branch agree; another branch and per-PC keys do not', async () => {
    const branchKey = key();
    const pc1 = { key: key(), nikKey: { key: branchKey, scope: 'branch' as const } };
    const pc2 = { key: key(), nikKey: { key: branchKey, scope: 'branch' as const } };
    const other = { key: key(), nikKey: { key: key(), scope: 'branch' as const } };
    const h1 = await (await createNikHasher(pc1))(NIK);
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await createNikHasher(pc2))(NIK)).toBe(h1);
    expect(await (await createNikHasher(other))(NIK)).not.toBe(h1);
    // Without a branch key each PC hashes with its own database key (the earlier behaviour).
    expect(await (await createNikHasher(pc1.key))(NIK)).not.toBe(await (await createNikHasher(pc2.key))(NIK));
    expect(await (await createNikHasher({ key: pc1.key }))(NIK)).toBe(await (await createNikHasher(pc1.key))(NIK));
  });

  it('says which scope a key source has, so the UI can tell that cross-PC lookups need HQ', () => {
    expect(nikHashScope(key())).toBe('device');
    expect(nikHashScope({ key: key() })).toBe('device');
    expect(nikHashScope({ key: key(), nikKey: { key: key(), scope: 'local' } })).toBe('local');
    expect(nikHashScope({ key: key(), nikKey: { key: key(), scope: 'branch' } })).toBe('branch');
  });
});
