// The benchmark model in Squiggle 0.10.0, through its run() API (its CLI lacks
// date-fns). Usage: node mc.mjs SAMPLES
import { run } from "@quri/squiggle-lang";

const samples = Number(process.argv[2] ?? 1000000);
const code = `
price = triangular(2.2, 2.6, 3.0)
occupancy = uniform(0.85, 1)
loss = 5e9 to 7e9
coverage = 220000 * 8760 * price * occupancy / loss
[mean(coverage), stdev(coverage), quantile(coverage, 0.05), quantile(coverage, 0.5), quantile(coverage, 0.95)]
`;
const result = await run(code, {
  environment: { sampleCount: samples, xyPointLength: 1000, seed: "1" },
});
if (!result.result.ok) {
  console.error(result.result.value.toString());
  process.exit(1);
}
console.log(result.result.value.result.toString());
