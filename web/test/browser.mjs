// The browser demo in a real browser: Debian's Chromium, headless, driven by
// playwright-core (never `npx playwright install`). Run by web/test.sh, which builds
// and serves the site and passes:
//   SITE_URL   http://127.0.0.1:PORT/
//   SPOFSIM    the CLI binary, to compare results with
//   OUT_DIR    where the screenshot and the measurements go
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, statSync } from "node:fs";
import { deflateRawSync, inflateRawSync, inflateSync } from "node:zlib";

const site = process.env.SITE_URL;
const cli = process.env.SPOFSIM;
const out = process.env.OUT_DIR;
mkdirSync(out, { recursive: true });
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

// A PNG's pixels (8-bit RGB or RGBA, not interlaced: what Chromium writes).
function pngPixels(buf) {
  let pos = 8, width = 0, height = 0, channels = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), type = buf.toString("ascii", pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      channels = { 2: 3, 6: 4 }[data[9]];
      if (data[8] !== 8 || !channels || data[12] !== 0) throw new Error("unsupported PNG");
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat)), stride = width * channels;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)], row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? px[y * stride + x - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      px[y * stride + x] = (row[x] + pred) & 255;
    }
  }
  return { width, height, channels, px };
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
const problems = [];
page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
page.on("pageerror", (e) => problems.push(String(e)));
const status = () => page.evaluate(() => window.spofsim);
async function waitFor(pred, what, ms = 60000) {
  try {
    await page.waitForFunction(pred, null, { timeout: ms, polling: 100 });
    return true;
  } catch (e) {
    console.log(`  (timed out waiting for ${what}; status: ${JSON.stringify(await status())})`);
    return false;
  }
}

// 1. Start-up: the full single-site example, analysed, with its SPOFs.
const t0 = Date.now();
await page.goto(site);
check(await waitFor(() => window.spofsim && window.spofsim.state === "ready", "the first analysis"), "the page opens and analyses the default design");
const wall = Date.now() - t0;
let s = await status();
check(s.scenario === "full-single-site", `it opens on full-single-site (got ${s.scenario})`);
check(JSON.stringify(s.spofs) === JSON.stringify(["array", "dc1"]), `it reports 2 SPOFs, array and dc1 (got ${JSON.stringify(s.spofs)})`);

// 2. The same analysis as the CLI: exact unavailability, to the last digit.
const analysis = JSON.parse(execFileSync(cli, ["analyze", "--format", "json", "scenarios/full-single-site.jsonc"]));
const cliU = analysis.results.find((r) => r.name === "shop").unavailability;
const pageU = s.services.find((x) => x.name === "shop").unavailability;
check(cliU === pageU, `exact unavailability of shop matches the CLI (${pageU} vs ${cliU})`);

// 2b. The `expect` verdicts follow without freezing the page: they simulate 10,000
// years, a slice per frame. A requestAnimationFrame loop records the longest gap between
// two frames until they arrive; they must equal `spofsim check --format json`'s.
await page.evaluate(() => {
  window.__longestGap = 0;
  let last = performance.now();
  const tick = (t) => {
    window.__longestGap = Math.max(window.__longestGap, t - last);
    last = t;
    if (!window.spofsim.verdicts) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
const checkStart = Date.now();
check(await waitFor(() => window.spofsim.verdicts, "the expect verdicts", 180000), "the expect verdicts arrive");
const verdictsMs = Date.now() - checkStart;
const longestGapMs = await page.evaluate(() => window.__longestGap);
const cliCheck = JSON.parse(execFileSync(cli, ["check", "--format", "json", "scenarios/full-single-site.jsonc"]));
const cliVerdicts = cliCheck.scenarios[0].verdicts.map((v) => ({ service: v.service, measure: v.measure, target: v.target, passed: v.passed, measured: v.measured ?? `not measured: ${v.not_measured}` }));
s = await status();
check(JSON.stringify(s.verdicts) === JSON.stringify(cliVerdicts), `the page's verdicts equal \`spofsim check\`'s (${JSON.stringify(s.verdicts)} vs ${JSON.stringify(cliVerdicts)})`);
check(longestGapMs < 3000, `the page keeps drawing while it checks (longest gap between frames ${Math.round(longestGapMs)} ms; verdicts in ${verdictsMs} ms)`);

// 3. The canvas is drawn: a screenshot with many colours, not a blank page.
await page.waitForTimeout(500);
const shot = await page.screenshot({ path: `${out}/page.png` });
const { width, height, channels, px } = pngPixels(shot);
const colours = new Set();
for (let i = 0; i < px.length; i += channels * 7) colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
check(colours.size > 50, `the canvas renders (${colours.size} distinct colours in a ${width}x${height} screenshot)`);

// 3b. Clicking works as on the desktop: select a load balancer, fail it (right-click →
// "Fail"), the service turns amber; the File menu downloads the scenario.
const nodes = (await status()).nodes;
await page.mouse.click(nodes["lb-1"][0], nodes["lb-1"][1]);
check(await waitFor(() => window.spofsim.selected === "lb-1" && window.spofsim.tab === "Inspector", "selection"), "clicking lb-1 opens it in the inspector");
await page.mouse.click(nodes["lb-1"][0], nodes["lb-1"][1], { button: "right" });
await page.waitForTimeout(300);
await page.mouse.click(nodes["lb-1"][0] + 40, nodes["lb-1"][1] + 12);
check(await waitFor(() => JSON.stringify(window.spofsim.failed) === '["lb-1"]', "the what-if"), "right-click → Fail marks lb-1 failed");
s = await status();
check(s.service_states && s.service_states.shop === "degraded", `shop is degraded, not down, without lb-1 (${JSON.stringify(s.service_states)})`);
await page.screenshot({ path: `${out}/what-if.png` });

// File menu (positions of the items in a 1400x860 page, from its screenshot).
async function fileMenu(x, y) {
  await page.mouse.click(18, 12);
  await page.waitForTimeout(300);
  await page.mouse.click(x, y);
}
let download = page.waitForEvent("download", { timeout: 20000 });
await fileMenu(70, 94);
let file = await download;
const saved = readFileSync(await file.path(), "utf8");
check(file.suggestedFilename() === "full-single-site.jsonc" && saved === readFileSync("scenarios/full-single-site.jsonc", "utf8"),
  `File → Download scenario gives the scenario (${file.suggestedFilename()}, ${saved.length} bytes)`);
download = page.waitForEvent("download", { timeout: 120000 });
await fileMenu(88, 117);
file = await download;
const report = readFileSync(await file.path(), "utf8");
check(file.suggestedFilename() === "spofsim-report-full-single-site.html" && report.includes("spofsim report: full-single-site") && report.includes("<svg"),
  `File → Download report runs the simulation and gives the HTML report with its plots (${report.length} bytes)`);
writeFileSync(`${out}/report.html`, report);
await fileMenu(45, 195);
await page.waitForTimeout(300);
const hash = await page.evaluate(() => location.hash);
const shared = hash.startsWith("#s=") ? inflateRawSync(Buffer.from(hash.slice(3), "base64url")).toString() : "";
check(shared === readFileSync("scenarios/full-single-site.jsonc", "utf8"), `File → Share link puts the design in the address (${hash.length} characters)`);

// File → Open… (the browser's file picker) and drag and drop of a file on the page.
const chooser = page.waitForEvent("filechooser", { timeout: 20000 });
await fileMenu(40, 40);
await (await chooser).setFiles("scenarios/servers/lb-pair.jsonc");
check(await waitFor(() => window.spofsim.scenario === "lb-pair" && window.spofsim.state === "ready", "the picked file"), "File → Open… opens the picked file");
await page.evaluate((text) => {
  const data = new DataTransfer();
  data.items.add(new File([text], "dropped.json", { type: "application/json" }));
  const canvas = document.getElementById("the_canvas_id");
  for (const type of ["dragenter", "dragover", "drop"]) {
    canvas.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  }
}, readFileSync("scenarios/database/quorum.jsonc", "utf8"));
check(await waitFor(() => window.spofsim.scenario === "quorum" && window.spofsim.source === "dropped.json (not saved)", "the dropped file"), "a .json file dropped on the page opens");

// 4. The same simulation as the CLI, byte for byte.
const text = readFileSync("scenarios/shop-two-tier.jsonc", "utf8");
const pageSim = await page.evaluate((t) => window.spofsimWasm.simulate_json(t, 2, 5, 7), text);
const cliSim = execFileSync(cli, ["simulate", "scenarios/shop-two-tier.jsonc", "--years", "2", "--replications", "5", "--seed", "7", "--format", "json"]).toString();
check(pageSim === cliSim, `simulate_json in the page equals \`spofsim simulate --format json\` (${pageSim.length} bytes)`);

// 5. Measurements: the analysis of a generated 1,000-component design.
const bench = JSON.parse(await page.evaluate(() => window.spofsimWasm.bench_analysis(1000, 1)));
check(bench.elements > 0 && !bench.error, `bench_analysis(1000): ${JSON.stringify(bench)}`);

// 6. A share link restores the design exactly.
const shop = readFileSync("scenarios/shop-two-tier.jsonc", "utf8");
const link = "s=" + deflateRawSync(Buffer.from(shop), { level: 9 }).toString("base64url");
await page.goto(site + "#" + link);
await page.reload();
check(await waitFor(() => window.spofsim && window.spofsim.state === "ready" && window.spofsim.scenario === "shop-two-tier", "the shared design"), "a #s= link opens the shared design");
s = await status();
check(s.source === "shared design (not saved)", `it is marked as shared (${s.source})`);
const cliShop = JSON.parse(execFileSync(cli, ["analyze", "--format", "json", "scenarios/shop-two-tier.jsonc"]));
check(JSON.stringify(s.spofs) === JSON.stringify(cliShop.spofs.map((x) => x.element).sort()), `its SPOFs match the CLI (${JSON.stringify(s.spofs)})`);

// 7. A damaged link: a clear error, the default design, no crash.
await page.goto(site + "#s=AAAA-not-a-design");
await page.reload();
check(await waitFor(() => window.spofsim && window.spofsim.state === "ready", "the default after a bad link"), "a damaged link still opens the page");
s = await status();
check(s.scenario === "full-single-site" && s.status && s.status.error && s.status.text.includes("share link"), `it says why: ${JSON.stringify(s.status)}`);

// 8. ?scenario= opens a file of the site.
await page.goto(site + "?scenario=scenarios/sites/dr-tiers.jsonc");
check(await waitFor(() => window.spofsim && window.spofsim.scenario === "dr-tiers" && window.spofsim.state === "ready", "?scenario="), "?scenario=scenarios/sites/dr-tiers.jsonc opens it");
await page.goto(site + "?scenario=https://example.com/x.jsonc");
check(await waitFor(() => window.spofsim && window.spofsim.status && window.spofsim.status.error, "the cross-origin refusal", 20000), "?scenario= on another origin is refused");
s = await status();
check(s.status.text.includes("only files from this site"), `with a reason: ${s.status.text}`);

check(problems.length === 0, `no console errors (${JSON.stringify(problems)})`);
const wasmBytes = statSync("target/site/pkg/spofsim_web_bg.wasm").size;
const measured = { first_analysed_frame_ms: null, wall_to_ready_ms: wall, verdicts_ms: verdictsMs, longest_frame_gap_during_check_ms: longestGapMs, bench_analysis_1000: bench, wasm_bytes: wasmBytes };
// The first page load's time to the first analysed frame (performance.now() since navigation).
await page.goto(site);
await waitFor(() => window.spofsim && window.spofsim.first_analysed_ms, "the first analysed frame");
measured.first_analysed_frame_ms = (await status()).first_analysed_ms;
writeFileSync(`${out}/measurements.json`, JSON.stringify(measured, null, 2) + "\n");
console.log(JSON.stringify(measured));
await browser.close();

// 9. Without WebGL the page says so in words instead of failing silently.
const noGl = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-webgl", "--disable-3d-apis", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const bare = await noGl.newPage();
await bare.goto(site);
await bare.waitForFunction(() => window.spofsim && window.spofsim.state === "error", null, { timeout: 20000 }).catch(() => {});
const message = await bare.evaluate(() => document.getElementById("loading").textContent);
check(message.includes("WebGL 2 is not available"), `without WebGL the page explains: "${message}"`);
await noGl.close();
if (failures) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
console.log("all browser checks passed");
