// Preloaded (`node -r`) into a command line run by the cli-large benchmark: samples the V8 heap in
// use every 20 ms and prints the highest figure on stderr as its last line, `heap-peak <bytes>`.
let peak = 0;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > peak) peak = used;
};
setInterval(sample, 20).unref();
process.on('exit', () => {
  sample();
  process.stderr.write(`\nheap-peak ${peak}\n`);
});
