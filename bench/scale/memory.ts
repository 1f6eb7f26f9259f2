/** Peak memory of this process: RSS sampled on an interval, and the kernel's maximum resident set size. */

export interface MemorySampler {
  /** Highest sampled RSS so far, MB. */
  peakMb(): number;
  /** process.resourceUsage().maxRSS (kilobytes) in MB. */
  maxRssMb(): number;
  stop(): void;
}

const MB = 2 ** 20;

export function sampleMemory(intervalMs = 100): MemorySampler {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  timer.unref();
  return {
    peakMb: () => Math.max(peak, process.memoryUsage().rss) / MB,
    maxRssMb: () => (process.resourceUsage().maxRSS * 1024) / MB,
    stop: () => clearInterval(timer),
  };
}
