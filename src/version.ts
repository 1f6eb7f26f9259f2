import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// src/ and dist/ are both one level below package.json.
export const VERSION: string = (require('../package.json') as { version: string }).version;
