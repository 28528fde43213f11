// Compares tebiki's search index with Pagefind's over one built site, in headless Chromium:
// bytes a reader downloads for one query (cold cache, ten results with their text) and
// recall / precision on a query set, pages only (glossary entries and list pages left out:
// Pagefind indexes the glossary as one page per language, and every list page).
//
//   tebiki build --root SITE -o OUT --base-url http://127.0.0.1:18765/   (or set PORT)
//   pagefind --site OUT --root-selector main --output-subdir pagefind    (PyPI: pagefind[extended])
//   node benches/search-compare.js OUT QUERIES.json
//
// Needs tests/browser/node_modules (npm ci) and Chromium ($CHROMIUM or /usr/bin/chromium).
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('../tests/browser/node_modules/playwright-core');
const search = require('../themes/default/static/search.js');

const [dir, queriesFile] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
const read = (p) => JSON.parse(fs.readFileSync(path.join(dir, 'search', p), 'utf8'));
const manifest = read('index.json');
const docs = [];
for (let d = 0; d < manifest.docs.length; d++) {
  const f = read(`f/${d}.json`);
  docs.push({ path: new URL(f.url).pathname, lang: f.lang, glossary: f.glossary, text: search.normalize(`${f.title} ${f.text}`) });
}
const pagePaths = new Set(docs.filter((d) => !d.glossary).map((d) => d.path));
const wordChar = (ch) => /[\p{Alphabetic}\p{N}]/u.test(ch) && !/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}ー]/u.test(ch);
function isRelevant(doc, entries) {
  return entries.every((e) => {
    const n = search.normalize(e);
    if (!/^[a-z0-9]/.test(n)) return doc.text.includes(n);
    for (let i = doc.text.indexOf(n); i >= 0; i = doc.text.indexOf(n, i + 1)) {
      if (i === 0 || !wordChar(doc.text[i - 1])) return true;
    }
    return false;
  });
}

const port = Number(process.env.PORT || 18765); // build the site with --base-url http://127.0.0.1:PORT/
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };
let bytes = 0;
let gzipped = 0; // what a host compressing with gzip sends (Pagefind's files are compressed already)
const zlib = require('zlib');
const server = http.createServer((req, res) => {
  let file = path.join(dir, decodeURIComponent(req.url.split('?')[0]));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  fs.readFile(file, (err, body) => {
    if (err) { res.writeHead(404); res.end(); return; }
    if (/\/(search|pagefind)\//.test(req.url) || /search\.js$/.test(req.url)) {
      bytes += body.length;
      gzipped += Math.min(body.length, zlib.gzipSync(body).length);
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(body);
  });
});

const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function main() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: flags });
  const root = `http://127.0.0.1:${port}/`;
  const home = { en: root, ja: `${root}ja/` };
  const engines = {
    async tebiki(page, q, lang, limit) {
      return page.evaluate(async ([q, lang, limit]) => {
        const s = window.__s || (window.__s = new window.tebikiSearch.Searcher((p) => fetch('/search/' + p).then((r) => r.json())));
        if (limit) {
          const r = await s.results(q, lang, limit, 0);
          return r.own.map((h) => new URL(h.fragment.url).pathname);
        }
        const found = await s.search(q, lang);
        return found.hits.filter((h) => h.own).map((h) => h.doc);
      }, [q, lang, limit]);
    },
    async pagefind(page, q, lang, limit) {
      return page.evaluate(async ([q, limit]) => {
        const pf = window.__pf || (window.__pf = await import('/pagefind/pagefind.js'));
        const r = await pf.search(q);
        const list = limit ? r.results.slice(0, limit) : r.results;
        const out = [];
        for (let i = 0; i < list.length; i += 50) {
          const data = await Promise.all(list.slice(i, i + 50).map((x) => x.data()));
          data.forEach((d) => out.push(new URL(d.url, location.href).pathname));
        }
        return out;
      }, [q, limit]);
    },
  };
  const report = {};
  for (const [name, engine] of Object.entries(engines)) {
    // Bytes for one query from a cold cache: the first English and the first Japanese query.
    const cold = {};
    for (const lang of ['en', 'ja']) {
      const q = spec.queries.find((x) => x.lang === lang).q;
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(home[lang]);
      if (name === 'tebiki') await page.waitForFunction(() => window.tebikiSearch);
      bytes = 0;
      gzipped = 0;
      const started = Date.now();
      await engine(page, q, lang, 10);
      cold[lang] = { query: q, bytes, gzipped, ms: Date.now() - started };
      await context.close();
    }
    // Recall and precision over every result, pages only.
    const rows = [];
    for (const lang of ['en', 'ja']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(home[lang]);
      if (name === 'tebiki') await page.waitForFunction(() => window.tebikiSearch);
      for (const q of spec.queries.filter((x) => x.lang === lang)) {
        const entries = q.relevant || q.q.split(/\s+/).filter(Boolean);
        const relevant = new Set(docs.filter((d) => d.lang === lang && !d.glossary && isRelevant(d, entries)).map((d) => d.path));
        let got = await engine(page, q.q, lang, 0);
        if (name === 'tebiki') got = got.map((d) => docs[d]).filter((d) => !d.glossary).map((d) => d.path);
        // Pagefind also indexes list pages (home, sections, tags): keep the pages both index.
        got = got.filter((p) => pagePaths.has(p));
        const hit = got.filter((p) => relevant.has(p)).length;
        rows.push({ q: q.q, lang, relevant: relevant.size, retrieved: got.length,
          recall: relevant.size ? hit / relevant.size : 1, precision: got.length ? hit / got.length : (relevant.size ? 0 : 1) });
      }
      await context.close();
    }
    const mean = (k, f) => { const r = rows.filter(f); return r.reduce((s, x) => s + x[k], 0) / Math.max(r.length, 1); };
    report[name] = {
      cold,
      recall: mean('recall', () => true), precision: mean('precision', () => true),
      recall_ja: mean('recall', (r) => r.lang === 'ja'), precision_ja: mean('precision', (r) => r.lang === 'ja'),
      recall_en: mean('recall', (r) => r.lang === 'en'), precision_en: mean('precision', (r) => r.lang === 'en'),
      weak: rows.filter((r) => r.recall < 0.9 || r.precision < 0.9),
    };
  }
  await browser.close();
  console.log(JSON.stringify(report, null, 1));
}

server.listen(port, '127.0.0.1', () => main().catch((e) => { console.error(e); process.exitCode = 1; }).finally(() => server.close()));
