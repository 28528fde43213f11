// Checks every page of a built site in headless Chromium, as readers meet it:
//
//   - no sideways scroll at 320, 390, 768 and 1280 px;
//   - a language's own name (a badge, a glossary label) marked with that language;
//   - no console error, no uncaught exception, no failed request, no request to another host;
//   - 0 axe-core violations of the WCAG 2.0/2.1 A and AA rules, at 390 and 1280 px;
//   - at 390 and 1280 px: Japanese text breaks lines by the strict kinsoku rules, and its
//     table cells between phrases; a short table cell (a date) on one line; a table wider than
//     its frame shows a scroll cue in the frame, which takes the keyboard's focus; on a phone,
//     footer, breadcrumb and contents links at least 24 px tall;
//   - glossary tooltips open on a tap and close on a tap elsewhere (touch, 390 px);
//   - with a mouse, the pointer can move from a term onto its definition, which stays in the
//     window, at 320 to 1280 px;
//   - Escape hides a definition shown by hover or focus (1280 px);
//   - every link, focused, is black on the yellow focus colour, in light and dark schemes;
//   - 0 errors from the Nu HTML checker (vnu-jar, run with the machine's Java) in every page.
//
// Usage: node site.mjs --dir BUILT_SITE --port PORT [--report report.json]
// The site must have been built with `--base-url http://127.0.0.1:PORT/`. Chromium comes from
// $CHROMIUM, else /usr/bin/chromium; Java from $JAVA, else `java`. Exits 0 when every check
// passes, 1 when one fails, 2 when the tools are missing.

import { createServer } from "node:http";
import { readFile, readdir, writeFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const dir = path.resolve(arg("dir", ""));
const port = Number(arg("port", "0"));
const reportFile = arg("report", "");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const java = process.env.JAVA || "java";
const OVERFLOW_WIDTHS = [320, 390, 768, 1280];
const OVERFLOW_WIDTHS_ALL = OVERFLOW_WIDTHS;
const AXE_WIDTHS = [390, 1280];
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

function fail(message, code = 2) {
  console.error(`site.mjs: ${message}`);
  process.exit(code);
}

if (!dir || !existsSync(dir)) fail(`--dir ${dir || "(none)"}: no built site there`);
if (!port) fail("--port is required (the port the site was built for)");
if (!existsSync(chromiumPath)) {
  fail(`Chromium not found at ${chromiumPath}: install Debian's \`chromium\` package or set CHROMIUM`);
}
if (spawnSync(java, ["-version"]).status !== 0) {
  fail(`Java not found (\`${java} -version\` failed): install a JRE (17+) or set JAVA`);
}

let chromium, axeSource, vnuJar;
try {
  ({ chromium } = require("playwright-core"));
  axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  vnuJar = require("vnu-jar");
} catch (e) {
  fail(`node modules missing (${e.message}): run \`npm ci\` in tests/browser`);
}

// ---------- the site, served as a static host serves it ----------

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".txt": "text/plain; charset=utf-8",
};

async function resolveFile(urlPath) {
  let rel = decodeURIComponent(urlPath.split("?")[0]);
  if (rel.includes("..")) return null;
  let file = path.join(dir, rel);
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    await stat(file);
    return file;
  } catch {
    return null;
  }
}

const server = createServer(async (req, res) => {
  const file = await resolveFile(req.url);
  if (!file) {
    const notFound = path.join(dir, "404.html");
    res.writeHead(404, { "content-type": TYPES[".html"] });
    res.end(existsSync(notFound) ? await readFile(notFound) : "not found");
    return;
  }
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
  res.end(await readFile(file));
});
await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${port}`;

// ---------- the pages ----------

async function htmlFiles(root) {
  const out = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".html")) {
      out.push(path.join(entry.parentPath ?? entry.path, entry.name));
    }
  }
  return out.sort();
}

const files = await htmlFiles(dir);
const pages = files.map((f) => {
  const rel = path.relative(dir, f).split(path.sep).join("/");
  return rel === "404.html" ? "/404.html" : "/" + rel.replace(/index\.html$/, "");
});

const problems = [];
const problem = (page, width, kind, detail) => problems.push({ page, width, kind, detail });
const started = Date.now();

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});

let axeRuns = 0;
let loads = 0;

const LAYOUT_WIDTHS = [390, 1280];

// What a reader sees of text and tables at one width (run in the page).
function layoutProblems(width) {
  const out = [];
  const name = (el) => `${el.tagName.toLowerCase()}${[...el.classList].map((c) => "." + c).join("")} "${el.textContent.trim().slice(0, 24)}"`;
  const ja = [...document.querySelectorAll("main :is(p, li, td, th, dd, h1, h2, h3)")].filter((el) => el.closest("[lang]")?.lang === "ja");
  for (const el of ja) {
    const style = getComputedStyle(el);
    if (style.lineBreak !== "strict") out.push(`${name(el)}: line-break ${style.lineBreak}, not strict`);
    if (el.matches("td, th") && style.wordBreak !== "auto-phrase") out.push(`${name(el)}: word-break ${style.wordBreak}, not auto-phrase`);
    if (out.length > 3) return out;
  }
  // A short cell (a date, a name) is on one line.
  for (const cell of document.querySelectorAll(".table-wrap :is(td, th).short")) {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const bottoms = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.bottom).sort((a, b) => a - b);
    const lines = bottoms.filter((b, i) => i === 0 || b - bottoms[i - 1] > 8).length;
    if (lines > 1) out.push(`${name(cell)} is broken over ${lines} lines`);
  }
  // A table wider than its frame: the frame shows a cue and takes the focus, to scroll it.
  for (const wrap of document.querySelectorAll(".table-wrap")) {
    if (wrap.scrollWidth <= wrap.clientWidth) continue;
    const style = getComputedStyle(wrap);
    if (!style.backgroundAttachment.includes("local") || !style.backgroundImage.includes("gradient")) {
      out.push(`${name(wrap)} scrolls sideways with no cue`);
    }
    if (wrap.tabIndex !== 0) out.push(`${name(wrap)} scrolls sideways but takes no focus`);
  }
  // Links set close together are targets of at least 24 px for a finger.
  if (width < 600) {
    for (const a of document.querySelectorAll(":is(.site-footer, .toc, .breadcrumb) a")) {
      const box = a.getBoundingClientRect();
      if (box.height > 0 && box.height < 24) out.push(`${name(a)} is ${box.height.toFixed(1)} px tall`);
    }
  }
  return out.slice(0, 6);
}

async function checkWidth(width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  // Nothing may load from another host.
  await context.route(
    (url) => !url.href.startsWith(origin) && !url.href.startsWith("data:"),
    (route) => route.abort("blockedbyclient"),
  );
  const page = await context.newPage();
  let current = "";
  page.on("console", (msg) => {
    if (msg.type() === "error") problem(current, width, "console error", msg.text());
  });
  page.on("pageerror", (err) => problem(current, width, "uncaught exception", String(err)));
  page.on("requestfailed", (req) => {
    // Going to the next page cancels what the last one still fetched (its favicon): a file
    // that is really missing shows as an HTTP error instead.
    const why = req.failure()?.errorText;
    if (why !== "net::ERR_ABORTED") problem(current, width, "failed request", `${req.url()} (${why})`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problem(current, width, "HTTP error", `${res.url()} → ${res.status()}`);
  });
  for (const url of pages) {
    current = url;
    await page.goto(origin + url, { waitUntil: "load" });
    loads++;
    const size = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      wide: [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .filter((el) => !el.closest("[class*=table-wrap], pre"))
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`),
    }));
    if (width === 1280) {
      // A language's own name (a badge, a glossary label) is written in that language and
      // marked so, for screen readers to say it right: the names are the language switch's.
      const unmarked = await page.evaluate(() => {
        const names = new Map([...document.querySelectorAll(".lang-switch [lang]")].map((e) => [e.firstChild.textContent.trim(), e.lang]));
        return [...document.querySelectorAll("body *")]
          .filter((e) => e.childElementCount === 0 && names.has(e.textContent.trim()))
          .filter((e) => e.closest("[lang]").lang !== names.get(e.textContent.trim()))
          .slice(0, 3)
          .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} "${e.textContent.trim()}" in lang ${e.closest("[lang]").lang}`);
      });
      for (const u of unmarked) problem(url, width, "language name", u);
    }
    if (size.scroll > size.client) {
      problem(url, width, "sideways scroll", `document ${size.scroll} px wide in ${size.client} px: ${size.wide.join(", ")}`);
    }
    if (LAYOUT_WIDTHS.includes(width)) {
      for (const l of await page.evaluate(layoutProblems, width)) problem(url, width, "layout", l);
    }
    if (AXE_WIDTHS.includes(width)) {
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
        AXE_TAGS,
      );
      axeRuns++;
      for (const v of result.violations) {
        problem(url, width, "axe", `${v.id} (${v.impact}): ${v.help}; ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
      }
    }
  }
  await context.close();
}

// Tooltips on a touch screen: a tap shows the definition, a tap elsewhere hides it, and an
// open tooltip does not widen the page.
async function checkTouch() {
  const width = 390;
  const context = await browser.newContext({ viewport: { width, height: 800 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  let checked = 0;
  for (const url of pages) {
    await page.goto(origin + url, { waitUntil: "load" });
    const term = page.locator(".prose .glossary-term").first();
    if ((await term.count()) === 0) continue;
    const tip = page.locator(".prose .glossary-tip").first();
    await term.scrollIntoViewIfNeeded();
    await term.tap();
    if (!(await tip.isVisible())) problem(url, width, "touch tooltip", "a tap on a term did not show its definition");
    if (new URL(page.url()).pathname !== url) problem(url, width, "touch tooltip", "the first tap followed the link");
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    if (wide) problem(url, width, "touch tooltip", "the open tooltip makes the page scroll sideways");
    await page.locator("h1").tap();
    if (await tip.isVisible()) problem(url, width, "touch tooltip", "a tap elsewhere did not hide the definition");
    checked++;
    if (checked >= 2) break;
  }
  if (checked === 0) problem("(site)", width, "touch tooltip", "no page with a glossary term to try");
  await context.close();
  return checked;
}

// Keyboard focus: every link, focused, shows the focus colours (dark text on yellow) in both
// colour schemes, whatever colours the link has of its own.
const FOCUS_PAGES = ["/", "/guides/ai-act/", "/glossary/", "/ja/guides/ai-act/", "/404.html"];
async function checkFocus() {
  let checked = 0;
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const page = await context.newPage();
    for (const url of FOCUS_PAGES.filter((u) => pages.includes(u))) {
      await page.goto(origin + url, { waitUntil: "load" });
      const bad = await page.evaluate(() => {
        const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => {
          const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const ratio = (a, b) => {
          const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
          return (x + 0.05) / (y + 0.05);
        };
        const out = [];
        let measured = 0;
        for (const a of document.querySelectorAll("a[href]")) {
          if (!a.getClientRects().length || a.closest(".glossary-tip, [hidden]")) continue;
          a.focus();
          if (document.activeElement !== a || !a.matches(":focus-visible")) continue;
          measured++;
          const style = getComputedStyle(a);
          const bg = rgb(style.backgroundColor);
          const contrast = ratio(rgb(style.color), bg);
          if ((bg.length === 4 && bg[3] < 1) || contrast < 4.5) {
            out.push(`${a.className ? "a." + a.className.split(" ").join(".") : "a"} "${a.textContent.trim().slice(0, 30)}": ${style.color} on ${style.backgroundColor} (${contrast.toFixed(2)}:1)`);
          }
        }
        // Only the links measured count: if the browser stopped showing focus, none would be.
        return { out, count: measured };
      });
      checked += bad.count;
      for (const b of bad.out.slice(0, 5)) problem(url, 1280, `focus (${colorScheme})`, b);
    }
    await context.close();
  }
  if (checked === 0) problem("(site)", 1280, "focus", "no link to focus");
}

// Tooltips with a mouse and a keyboard (WCAG 1.4.13): Escape hides a definition shown by
// hover or focus without moving the focus, and it shows again when the pointer or the focus
// comes back to the term.
async function checkTooltipKeys() {
  const url = "/guides/ai-act/";
  if (!pages.includes(url)) return problem("(site)", 1280, "tooltip", `${url} is not in the site`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(origin + url, { waitUntil: "load" });
  const term = page.locator(".prose .glossary-term").first();
  const tip = page.locator(".prose .glossary-tip").first();
  const say = (what) => problem(url, 1280, "tooltip", what);
  await term.hover();
  if (!(await tip.isVisible())) say("hovering a term did not show its definition");
  await page.keyboard.press("Escape");
  if (await tip.isVisible()) say("Escape did not hide a definition shown by hover");
  await page.mouse.move(5, 5);
  await term.hover();
  if (!(await tip.isVisible())) say("the definition did not show again when the pointer came back");
  await page.mouse.move(5, 5);
  await term.focus();
  if (!(await tip.isVisible())) say("focusing a term did not show its definition");
  await page.keyboard.press("Escape");
  if (await tip.isVisible()) say("Escape did not hide a definition shown by focus");
  if (!(await term.evaluate((a) => document.activeElement === a))) say("Escape moved the focus off the term");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  if (!(await term.evaluate((a) => document.activeElement === a)) || !(await tip.isVisible())) {
    say("the definition did not show again when the focus came back");
  }
  await context.close();
}

// Tooltips under a mouse (WCAG 1.4.13): the pointer can move from a term onto its
// definition without the definition going, at every width; the definition stays inside the
// window and does not make the page scroll sideways.
async function checkTooltipHover() {
  let checked = 0;
  for (const url of ["/guides/ai-act/", "/ja/guides/ai-act/"].filter((u) => pages.includes(u))) {
    for (const width of OVERFLOW_WIDTHS_ALL) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(origin + url, { waitUntil: "load" });
      const say = (what) => problem(url, width, "tooltip hover", what);
      const terms = page.locator(".prose .glossary-term");
      const count = Math.min(await terms.count(), 4);
      for (let i = 0; i < count; i++) {
        const term = terms.nth(i);
        const tip = page.locator(".prose .glossary-tip").nth(i);
        await term.scrollIntoViewIfNeeded();
        const rects = await term.evaluate((a) => [...a.getClientRects()].map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
        if (rects.length !== 1) continue; // a term broken over two lines
        const r = rects[0];
        const x = r.x + r.w / 2;
        await page.mouse.move(x, r.y + r.h / 2);
        if (!(await tip.isVisible())) { say(`hovering term ${i + 1} did not show its definition`); continue; }
        const box = await tip.boundingBox();
        if (box.x < 0 || box.x + box.width > width) say(`the definition of term ${i + 1} runs out of the window: ${JSON.stringify(box)}`);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
        if (wide) say(`the definition of term ${i + 1} makes the page scroll sideways`);
        // Down onto the definition, then across it, as a hand moves a mouse.
        const inside = Math.min(box.y + 12, box.y + box.height / 2);
        await page.mouse.move(x, inside, { steps: Math.max(2, Math.ceil((inside - r.y) / 3)) });
        await page.mouse.move(box.x + box.width / 2, inside, { steps: 4 });
        if (!(await tip.isVisible())) say(`the definition of term ${i + 1} went when the pointer moved onto it`);
        await page.mouse.move(1, 1);
        checked++;
      }
      await context.close();
    }
  }
  if (checked === 0) problem("(site)", 0, "tooltip hover", "no glossary term to hover");
}

let touchPages = 0;
try {
  for (const width of OVERFLOW_WIDTHS) await checkWidth(width);
  touchPages = await checkTouch();
  await checkFocus();
  await checkTooltipKeys();
  await checkTooltipHover();
} finally {
  await browser.close();
  server.close();
}
const browserSeconds = (Date.now() - started) / 1000;

// ---------- the Nu HTML checker, once over every page ----------

const vnuStarted = Date.now();
const vnu = spawnSync(java, ["-Xss16m", "-jar", vnuJar, "--format", "json", "--exit-zero-always", ...files], {
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
});
let vnuErrors = 0;
let vnuWarnings = 0;
try {
  const messages = JSON.parse(vnu.stderr || vnu.stdout).messages;
  for (const m of messages) {
    const where = path.relative(dir, decodeURIComponent((m.url || "").replace(/^file:/, "")));
    if (m.type === "error" || m.subType === "fatal") {
      vnuErrors++;
      problem("/" + where, 0, "vnu", `${m.lastLine ?? "?"}:${m.firstColumn ?? "?"} ${m.message}`);
    } else {
      vnuWarnings++;
    }
  }
} catch (e) {
  problem("(site)", 0, "vnu", `the checker gave no report (${e.message}): ${(vnu.stderr || "").slice(0, 400)}`);
}
const vnuSeconds = (Date.now() - vnuStarted) / 1000;

const report = {
  pages: pages.length,
  overflow_widths: OVERFLOW_WIDTHS,
  axe_widths: AXE_WIDTHS,
  page_loads: loads,
  axe_runs: axeRuns,
  axe_violations: problems.filter((p) => p.kind === "axe").length,
  touch_pages: touchPages,
  vnu_files: files.length,
  vnu_errors: vnuErrors,
  vnu_warnings: vnuWarnings,
  browser_seconds: browserSeconds,
  vnu_seconds: vnuSeconds,
  problems,
};
if (reportFile) await writeFile(reportFile, JSON.stringify(report, null, 2) + "\n");
for (const p of problems) console.log(`FAIL ${p.page} @${p.width}px [${p.kind}] ${p.detail}`);
console.log(
  `${pages.length} pages × ${OVERFLOW_WIDTHS.length} widths (${loads} loads), axe at ${AXE_WIDTHS.join(" and ")} px: ` +
    `${report.axe_violations} violations; vnu over ${files.length} files: ${vnuErrors} errors, ${vnuWarnings} warnings; ` +
    `${problems.length} problems; browser ${browserSeconds.toFixed(1)} s, vnu ${vnuSeconds.toFixed(1)} s`,
);
process.exit(problems.length === 0 ? 0 : 1);
