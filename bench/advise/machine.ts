/** The machine a result was measured on. */
import os from 'node:os';

export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly totalMemoryGb: number;
  readonly node: string;
  readonly platform: string;
  readonly postgres: string;
}

export function machine(postgres: string): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    postgres,
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cpus} × ${m.model}, ${m.totalMemoryGb} GB RAM, PostgreSQL ${m.postgres}, Node ${m.node}, ${m.platform}`;
}
