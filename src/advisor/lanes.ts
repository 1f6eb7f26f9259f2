/**
 * What-if lanes: the engine's own what-if backend and, for HypoPG on a server, more
 * connections to the same database so the server's cores plan in parallel. A
 * transaction backend builds real indexes, so it gets one lane only (more would build
 * each index once per lane and hold more locks).
 */
import type { Engine } from '../engines/engine.js';
import type { WhatIfBackend, WhatIfOptions } from '../engines/what-if.js';
import type { WhatIfMethod } from '../model/what-if.js';

export interface Lanes {
  readonly backends: readonly WhatIfBackend[];
  close(): Promise<void>;
}

/** Default what-if connections for HypoPG on a server: planner work only, light for the server. */
export const DEFAULT_WHAT_IF_CONNECTIONS = 4;

export async function openLanes(engine: Engine, method: WhatIfMethod, wanted: number, options?: WhatIfOptions): Promise<Lanes> {
  const backends: WhatIfBackend[] = [];
  const siblings: Engine[] = [];
  const close = async () => {
    for (const backend of backends) await backend.close().catch(() => {});
    for (const sibling of siblings) await sibling.close().catch(() => {});
  };
  try {
    backends.push(await engine.openWhatIf(method, options));
    const extra = method === 'hypopg' && engine.sibling !== undefined ? Math.max(0, wanted - 1) : 0;
    for (let i = 0; i < extra; i++) {
      const sibling = await engine.sibling?.();
      if (sibling === undefined) break;
      siblings.push(sibling);
      backends.push(await sibling.openWhatIf(method, options));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { backends, close };
}
