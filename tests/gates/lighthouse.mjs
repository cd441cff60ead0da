// Runs Lighthouse (npm, pinned in package.json) on each URL given, in one Chromium started once,
// with Lighthouse's default mobile settings: a phone screen, simulated slow 4G and a 4x slower CPU.
// Usage: node lighthouse.mjs CHROMIUM OUTPUT.json URL...
// Writes, per URL, every category's score, the metrics and each audit that lost points.
import { writeFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [chromePath, output, ...urls] = process.argv.slice(2);
// Audits that score nothing and cost time: the back/forward cache test navigates away and back,
// the screenshots are pictures for a report nobody opens here.
const SKIPPED = ["bf-cache", "screenshot-thumbnails", "final-screenshot"];
const METRICS = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
];

const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
const results = [];
try {
  for (const url of urls) {
    const run = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", disableFullPageScreenshot: true, skipAudits: SKIPPED });
    const lhr = run.lhr;
    const lost = [];
    for (const category of Object.values(lhr.categories)) {
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          lost.push({
            category: category.id,
            audit: ref.id,
            score: audit.score,
            value: audit.displayValue || "",
            items: (audit.details?.items || []).slice(0, 5).map((item) =>
              JSON.stringify(item.node?.snippet || item.url || item.source || item).slice(0, 200)
            ),
          });
        }
      }
    }
    results.push({
      url,
      finalUrl: lhr.finalDisplayedUrl,
      runtimeError: lhr.runtimeError?.message || null,
      warnings: lhr.runWarnings,
      scores: Object.fromEntries(Object.values(lhr.categories).map((c) => [c.id, c.score])),
      metrics: Object.fromEntries(METRICS.map((id) => [id, lhr.audits[id].numericValue])),
      lost,
    });
  }
} finally {
  await chrome.kill();
}
writeFileSync(output, JSON.stringify(results, null, 1));
