// Decisions that must happen exactly once are taken by inserting their key: the insert that
// succeeds is the only one that acts, on FerretDB and on MongoDB with any number of processes.
import type { Models } from '../models';
import { isDuplicateKey } from './duplicates';

/** True for the one caller that took `key`; false for every other (now or later). */
export async function takeOnce(models: Pick<Models, 'OnceKey'>, key: string): Promise<boolean> {
  try {
    await models.OnceKey.create({ _id: key, at: new Date() });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
