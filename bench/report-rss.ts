// Preloaded (NODE_OPTIONS=--require) into every Node process of a measured command: on exit,
// appends "<pid> <peak RSS in KiB> <argv>" to $BENCH_RSS_FILE.
import { appendFileSync } from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    const argv = process.argv.slice(1).join(" ").replace(/\s+/g, " ");
    appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS} ${argv}\n`);
  });
}
