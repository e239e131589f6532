// Where the repository's own folders are, for code that serves or builds files from them.
import { join, resolve } from 'node:path';

export const projectRoot = resolve(__dirname, '..');
export const sdkBundleDir = join(projectRoot, 'dist', 'sdk');
