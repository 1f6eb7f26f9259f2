/** Vitest setup file: the temp directories a test file made are removed after it. */
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.js';

afterAll(removeTempDirs);
