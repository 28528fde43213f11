// Recall and precision of the search client over a built site's index.
//   node tests/search/eval.js PUBLIC_DIR QUERIES.json [--top 5]
// A page is relevant to a query when every `relevant` entry (the query's words by default) is
// in its title or text after NFKC and lower case, Latin entries at the start of a word.
// Retrieved: every result in the query's language. Prints one JSON object; exits 1 when a page
// in `expect` is not among the first `--top` results.
'use strict';
const fs = require('fs');
const path = require('path');
const search = require('../../themes/default/static/search.js');

const args = process.argv.slice(2);
const dir = args[0];
const spec = JSON.parse(fs.readFileSync(args[1], 'utf8'));
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 5;
const read = (p) => JSON.parse(fs.readFileSync(path.join(dir, 'search', p), 'utf8'));
const manifest = read('index.json');
const docs = [];
for (let d = 0; d < manifest.docs.length; d++) {
  const f = read(`f/${d}.json`);
  docs.push({ url: f.url.replace(/^https?:\/\/[^/]+/, ''), lang: f.lang, text: search.normalize(`${f.title} ${f.text}`) });
}
// Paths relative to the site root, whatever the base URL's sub-path.
const prefix = (() => {
  const home = docs.map((d) => d.url).sort((a, b) => a.length - b.length)[0] || '/';
  const m = manifest && home.match(/^(.*?\/)(ja\/|glossary\/|guides\/|briefs\/|about\/|timeline\/)?/);
  return m ? m[1] : '/';
})();
const rel = (url) => '/' + url.replace(/^https?:\/\/[^/]+/, '').slice(prefix.length);

// A letter or digit of a word (not kanji or kana, which are read character by character).
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

(async () => {
  const searcher = new search.Searcher(read);
  const rows = [];
  let failures = 0;
  const started = process.hrtime.bigint();
  for (const q of spec.queries) {
    const entries = q.relevant || q.q.split(/\s+/).filter(Boolean);
    const relevant = new Set();
    docs.forEach((d, i) => { if (d.lang === q.lang && isRelevant(d, entries)) relevant.add(i); });
    const found = await searcher.search(q.q, q.lang);
    const own = found.hits.filter((h) => h.own);
    const hit = own.filter((h) => relevant.has(h.doc)).length;
    const firsts = own.slice(0, top).map((h) => rel(docs[h.doc].url));
    const missing = (q.expect || []).filter((u) => !firsts.includes(u));
    if (missing.length) failures++;
    rows.push({
      q: q.q, lang: q.lang, relevant: relevant.size, retrieved: own.length,
      recall: relevant.size ? hit / relevant.size : 1,
      precision: own.length ? hit / own.length : (relevant.size ? 0 : 1),
      missing, first: firsts,
    });
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const mean = (k, f) => { const r = rows.filter(f); return r.reduce((s, x) => s + x[k], 0) / Math.max(r.length, 1); };
  const all = () => true;
  const ja = (r) => r.lang === 'ja';
  const en = (r) => r.lang === 'en';
  const out = {
    queries: rows.length, japanese: rows.filter(ja).length, judged_failures: failures,
    recall: mean('recall', all), precision: mean('precision', all),
    recall_ja: mean('recall', ja), precision_ja: mean('precision', ja),
    recall_en: mean('recall', en), precision_en: mean('precision', en),
    ms_per_query: ms / rows.length,
    rows,
  };
  console.log(JSON.stringify(out, null, 1));
  process.exit(failures ? 1 : 0);
})();
