// Runs queries against a built site's search index from the command line:
//   node tests/search/query.js PUBLIC_DIR LANG QUERY...
// Prints each result's address (with the heading its match comes under and the words to
// highlight), title and snippet.
'use strict';
const fs = require('fs');
const path = require('path');
const search = require('../../themes/default/static/search.js');
const [dir, lang, ...queries] = process.argv.slice(2);
const searcher = new search.Searcher((p) => JSON.parse(fs.readFileSync(path.join(dir, 'search', p), 'utf8')));
(async () => {
  for (const q of queries) {
    const r = await searcher.results(q, lang, 10, 5);
    console.log(`# ${q} (${r.total})`);
    for (const h of r.own.concat(r.other)) {
      const found = search.locate(h.fragment.text, q, r.terms, h.fragment.anchors);
      const s = search.snippet(h.fragment.text, q, r.terms, 80, found).map((p) => (p.mark ? `[${p.text}]` : p.sep ? ` ${p.text} ` : p.text)).join('');
      const under = found.heading;
      const url = search.resultUrl(h.fragment, found).replace(/^https?:\/\/[^/]+/, '');
      console.log(`  ${h.own ? ' ' : '*'} ${url}  ${h.fragment.title}${under ? ` › ${under.title}` : ''} | ${s}`);
    }
  }
})();
