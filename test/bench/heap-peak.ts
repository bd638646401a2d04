// Preloaded (`node -r`) into a command line run by the cli-large benchmark: samples the V8 heap in
// use every 20 ms, and the heap still in use just after each full (mark-compact) collection: what
// the process holds alive, without the garbage V8 lets pile up while it has room. Prints the highest
// of each on stderr as its last two lines, `heap-peak <bytes>` and `heap-live <bytes>`.
import { constants, PerformanceObserver } from 'node:perf_hooks';

let peak = 0;
let live = 0;
const sample = (): void => {
  const used = process.memoryUsage().heapUsed;
  if (used > peak) peak = used;
};
setInterval(sample, 20).unref();
const majors = new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if ((entry.detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      const used = process.memoryUsage().heapUsed;
      if (used > live) live = used;
    }
});
majors.observe({ entryTypes: ['gc'] });
process.on('exit', () => {
  sample();
  process.stderr.write(`\nheap-peak ${peak}\nheap-live ${live}\n`);
});
