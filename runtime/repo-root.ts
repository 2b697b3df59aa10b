/** Where the repository's own files are found: the pinned binaries in .tmp/bin, the protos, the web app. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in `<repo>/runtime/`). */
export const REPO_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
