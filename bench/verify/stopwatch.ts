/** Named phases of a run, timed and logged as they end. */
import type { Phase } from './types.js';

export class Stopwatch {
  private readonly done: Phase[] = [];

  constructor(private readonly label: string) {}

  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await fn();
    const seconds = +((performance.now() - started) / 1000).toFixed(1);
    this.done.push({ name, seconds });
    console.log(`  ${this.label}: ${name} ${seconds} s`);
    return result;
  }

  get phases(): readonly Phase[] {
    return [...this.done];
  }
}
