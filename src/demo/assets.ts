/** The demo application's data files, shipped in the package's demo/ folder. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// src/demo/ and dist/demo/ are both two levels below the package root.
const DEMO_DIR = new URL('../../demo/', import.meta.url);

export function demoFilePath(name: string): string {
  return fileURLToPath(new URL(name, DEMO_DIR));
}

export function readDemoFile(name: string): string {
  return readFileSync(demoFilePath(name), 'utf8');
}
