/* tebiki default theme: full-text search in the browser, English and Japanese.
 *
 * The tokenizer below mirrors src/pipeline/search/tokenize.rs rule for rule (the test suite
 * runs both on the same strings): NFKC and lower case; CJK runs into character bigrams; other
 * letters and digits into words, stemmed. The index (search/index.json, search/s/<k>.json,
 * search/f/<doc>.json) is described in docs/search.md. Nothing is loaded from another host.
 */
(function (root) {
  'use strict';

  // ---------- Tokenizer: the same rules as tokenize.rs ----------
  var MAX_WORD = 40;
  var LETTER_OR_DIGIT = /[\p{Alphabetic}\p{N}]/u;

  function normalize(text) {
    return text.normalize('NFKC').toLowerCase().replace(/ς/g, 'σ');
  }

  function isCjk(cp) {
    return (cp >= 0x3005 && cp <= 0x3007) ||
      (cp >= 0x3041 && cp <= 0x3096) ||
      (cp >= 0x309d && cp <= 0x309f) ||
      (cp >= 0x30a1 && cp <= 0x30fa) ||
      (cp >= 0x30fc && cp <= 0x30ff) ||
      (cp >= 0x31f0 && cp <= 0x31ff) ||
      (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xac00 && cp <= 0xd7af) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x3ffff);
  }

  function isWord(ch) {
    return !isCjk(ch.codePointAt(0)) && LETTER_OR_DIGIT.test(ch);
  }

  function stem(word) {
    if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
    var s = word;
    var ends = function (suffix) { return s.endsWith(suffix); };
    if (ends('sses')) s = s.slice(0, -2);
    else if (ends('ies') && s.length > 4) s = s.slice(0, -3) + 'y';
    else if (ends('ss') || ends('us') || ends('is')) { /* kept */ }
    else if (ends('shes') || ends('ches') || ends('xes') || ends('zes')) s = s.slice(0, -2);
    else if (ends('s')) s = s.slice(0, -1);
    var hasVowel = function (t) { return /[aeiouy]/.test(t); };
    var cut = false;
    if (ends('ing') && s.length >= 6 && hasVowel(s.slice(0, -3))) { s = s.slice(0, -3); cut = true; }
    else if (ends('ed') && s.length >= 5 && hasVowel(s.slice(0, -2))) { s = s.slice(0, -2); cut = true; }
    var n = s.length;
    if (cut && n >= 2 && s[n - 1] === s[n - 2] && 'lsz'.indexOf(s[n - 1]) < 0) s = s.slice(0, -1);
    if (ends('e') && s.length > 3) s = s.slice(0, -1);
    return s;
  }

  /* Tokens of already normalised text: [{text, cjk, join, start, end}], offsets in code units. */
  function tokensOfNormalized(text) {
    var out = [];
    var chars = Array.from(text);
    var offsets = [];
    var at = 0;
    for (var k = 0; k < chars.length; k++) { offsets.push(at); at += chars[k].length; }
    offsets.push(at);
    var before = null; // the run just before, touching: {cjk, piece}
    var i = 0;
    while (i < chars.length) {
      var c = chars[i];
      var j;
      if (isCjk(c.codePointAt(0))) {
        j = i;
        while (j < chars.length && isCjk(chars[j].codePointAt(0))) j++;
        if (before && !before.cjk) {
          var next = chars.slice(i, Math.min(j, i + 2)).join('');
          out.push({ text: before.piece + next, cjk: false, join: true, short: j - i === 1, start: offsets[i], end: offsets[i + 1] });
        }
        if (j - i === 1) out.push({ text: c, cjk: true, start: offsets[i], end: offsets[j] });
        for (var b = i; b + 1 < j; b++) {
          out.push({ text: chars[b] + chars[b + 1], cjk: true, start: offsets[b], end: offsets[b + 2] });
        }
        before = { cjk: true, piece: chars[j - 1] };
        i = j;
      } else if (isWord(c)) {
        j = i;
        while (j < chars.length && isWord(chars[j])) j++;
        if (j - i <= MAX_WORD) {
          var raw = chars.slice(i, j).join('');
          var word = stem(raw);
          if (before && before.cjk) out.push({ text: before.piece + word, cjk: true, join: true, start: offsets[i], end: offsets[j] });
          out.push({ text: word, raw: raw, cjk: false, start: offsets[i], end: offsets[j] });
          before = { cjk: false, piece: word };
        } else {
          before = null;
        }
        i = j;
      } else {
        before = null;
        i++;
      }
    }
    return out;
  }

  function tokens(text) {
    return tokensOfNormalized(normalize(text)).map(function (t) { return { text: t.text, cjk: t.cjk }; });
  }

  function shardKey(token, cjk) {
    return Array.from(token).slice(0, cjk ? 1 : 2).join('');
  }

  function shardOf(key, shards) {
    var h = 0x811c9dc5;
    for (var ch of key) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h & (shards - 1);
  }

  // ---------- Query ----------

  /* The terms of a query: each token once; `prefix` when it may be the start of a longer
     token (the last word while typing, or a lone CJK character). */
  function queryTerms(query) {
    var norm = normalize(query);
    var toks = tokensOfNormalized(norm);
    var open = norm.length > 0 && !/\s$/.test(norm);
    var seen = {};
    var terms = [];
    toks.forEach(function (t, n) {
      var last = n === toks.length - 1;
      // A join token just before the last word, which may still be being typed.
      var openJoin = t.join && t.cjk && open && n === toks.length - 2;
      // A word and one CJK character: in the index, the word and the next two.
      if (t.join && t.short) openJoin = true;
      var prefix = openJoin || (t.cjk && !t.join ? Array.from(t.text).length === 1 : (last && open && t.text.length >= 3));
      var key = t.text + (prefix ? '*' : '');
      if (seen[key]) return;
      seen[key] = true;
      terms.push({ text: t.text, raw: t.raw || t.text, cjk: t.cjk, join: !!t.join, prefix: prefix });
    });
    return terms;
  }

  /* A search over the index files that `load(path)` returns (a promise of parsed JSON). */
  function Searcher(load) {
    this.load = load;
    this.cache = {};
  }

  Searcher.prototype.file = function (path) {
    if (!this.cache[path]) {
      var self = this;
      this.cache[path] = Promise.resolve(this.load(path)).catch(function (e) {
        delete self.cache[path];
        throw e;
      });
    }
    return this.cache[path];
  };

  Searcher.prototype.manifest = function () { return this.file('index.json'); };

  /* Ranked matches: [{doc, lang, score}], the reader's language first. */
  Searcher.prototype.search = function (query, lang) {
    var self = this;
    var terms = queryTerms(query);
    if (terms.length === 0) return Promise.resolve({ terms: terms, hits: [] });
    return this.manifest().then(function (m) {
      var ids = {};
      terms.forEach(function (t) {
        t.shard = shardOf(shardKey(t.text, t.cjk), m.shards);
        ids[t.shard] = true;
      });
      var wanted = Object.keys(ids);
      return Promise.all(wanted.map(function (k) { return self.file('s/' + k + '.json'); }))
        .then(function (loaded) {
          var shards = {};
          wanted.forEach(function (k, n) { shards[k] = loaded[n]; });
          return { terms: terms, hits: rank(m, shards, terms, lang) };
        });
    });
  };

  function decode(list, into, boost) {
    var doc = 0;
    for (var i = 0; i < list.length; i += 2) {
      doc += list[i];
      var w = list[i + 1] * boost;
      if (!(into[doc] >= w)) into[doc] = w;
    }
  }

  function rank(m, shards, terms, lang) {
    var total = m.docs.length;
    var own = m.langs.indexOf(lang);
    var perTerm = terms.map(function (t) {
      var shard = shards[t.shard] || {};
      var postings = {};
      if (Object.prototype.hasOwnProperty.call(shard, t.text)) decode(shard[t.text], postings, 1);
      if (t.prefix) {
        for (var token in shard) {
          if (token !== t.text && token.startsWith(t.text)) decode(shard[token], postings, 0.5);
        }
      }
      var df = Object.keys(postings).length;
      return { postings: postings, idf: Math.log(1 + total / Math.max(df, 1)) };
    });
    var scores = {};
    var counts = {};
    perTerm.forEach(function (p) {
      for (var d in p.postings) {
        scores[d] = (scores[d] || 0) + p.postings[d] * p.idf;
        counts[d] = (counts[d] || 0) + 1;
      }
    });
    var need = terms.length;
    var docs = Object.keys(scores).filter(function (d) { return counts[d] === need; });
    if (docs.length === 0 && need >= 3) {
      // A long query whose every part no page has: the pages with most of them.
      need = Math.ceil(need * 0.75);
      docs = Object.keys(scores).filter(function (d) { return counts[d] >= need; });
    }
    var hits = docs.map(function (d) {
      var l = parseInt(m.docs.charAt(+d), 36);
      return { doc: +d, lang: m.langs[l], own: l === own, score: scores[d] * (counts[d] / terms.length) };
    });
    hits.sort(function (a, b) {
      return (b.own - a.own) || (b.score - a.score) || (a.doc - b.doc);
    });
    return hits;
  }

  /* What the box shows: up to `limit` results in the reader's language, then up to `others`
     in other languages whose page is not offered in the reader's language. */
  Searcher.prototype.results = function (query, lang, limit, others) {
    var self = this;
    return this.search(query, lang).then(function (found) {
      var own = found.hits.filter(function (h) { return h.own; }).slice(0, limit);
      var rest = found.hits.filter(function (h) { return !h.own; }).slice(0, others * 3);
      var fetch = function (h) {
        return self.file('f/' + h.doc + '.json').then(function (f) { h.fragment = f; return h; });
      };
      return Promise.all(own.map(fetch).concat(rest.map(fetch))).then(function () {
        // Another language's page is offered only when the reader's language has none.
        var offered = rest.filter(function (h) {
          return !(h.fragment.alt && h.fragment.alt[lang]);
        }).slice(0, others);
        var total = found.hits.filter(function (h) { return h.own; }).length;
        return { terms: found.terms, own: own, other: offered, total: total };
      });
    });
  };

  // ---------- Snippets ----------

  /* Ranges [start, end) of `text` that match the query terms. */
  function matches(text, terms) {
    // Normalise character by character, remembering where each piece came from.
    var norm = '';
    var from = [];
    var at = 0;
    for (var ch of text) {
      var n = normalize(ch);
      for (var k = 0; k < n.length; k++) from.push(at);
      norm += n;
      at += ch.length;
    }
    from.push(at);
    var ranges = [];
    var words = terms.filter(function (t) { return !t.cjk && !t.join; });
    if (words.length) {
      tokensOfNormalized(norm).forEach(function (t) {
        if (t.cjk || t.join) return;
        var hit = words.some(function (w) {
          return t.text === w.text || (w.prefix && (t.text.startsWith(w.text) || t.raw.startsWith(w.raw)));
        });
        if (hit) ranges.push([from[t.start], from[t.end]]);
      });
    }
    // CJK terms: highlight the query's CJK runs where they appear whole. A run that starts
    // with a word (the whole query, `ai act`) only where a word starts: not `ai` in `said`.
    var runs = {};
    terms.forEach(function (t) { if (t.cjk) runs[t.run || t.text] = true; });
    Object.keys(runs).forEach(function (run) {
      var atWord = isWord(run[0]);
      var i = norm.indexOf(run);
      while (i >= 0) {
        if (!atWord || i === 0 || !isWord(norm[i - 1])) ranges.push([from[i], from[i + run.length]]);
        i = norm.indexOf(run, i + run.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /* The CJK runs of a query, to highlight them whole rather than bigram by bigram. */
  function cjkRuns(query) {
    var out = [];
    var norm = normalize(query);
    var run = '';
    for (var ch of norm) {
      if (isCjk(ch.codePointAt(0))) run += ch;
      else { if (run) out.push(run); run = ''; }
    }
    if (run) out.push(run);
    return out;
  }

  /* Appends the unmarked `piece` of a snippet to `parts`, each line break of the text (where a
     heading, paragraph, list item or table cell ended) shown as a separator, or as a space
     after a sentence's end. */
  function pushPlain(parts, piece) {
    piece.split('\n').forEach(function (line, n) {
      if (n) {
        var before = parts.length ? parts[parts.length - 1].text : '';
        if (/[.!?:;。！？：；]$/.test(before)) parts.push({ text: ' ', mark: false });
        else parts.push({ text: '·', mark: false, sep: true });
      }
      if (line) parts.push({ text: line, mark: false });
    });
  }

  /* Where a query matches `text`: the ranges to mark, the one a snippet centres on (the
     first place of the whole query if it is there, else of any of its terms; none when only
     the title matches) and the heading that place comes under ({id, title, start, end}, from
     a fragment's `anchors`; null before the first heading). A place in a heading comes before
     one in the text, so that a result leads to the section about the words. */
  function locate(text, query, terms, anchors) {
    var runs = cjkRuns(query);
    var phrase = normalize(query).trim().replace(/\s+/g, ' ');
    var whole = phrase.length > 1 && runs.indexOf(phrase) < 0 ? [phrase] : [];
    var all = terms.filter(function (t) { return !t.cjk && !t.join; }).concat(runs.concat(whole).map(function (r) {
      return { text: r, run: r, cjk: true };
    }));
    var ranges = matches(text, all);
    var first = whole.length ? matches(text, [{ text: phrase, run: phrase, cjk: true }]) : [];
    var places = first.length ? first : ranges;
    // The headings' lines, from where each line starts, found in one pass.
    var starts = [0];
    if (anchors && anchors.length) {
      for (var i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    var headings = (anchors || []).filter(function (a) { return a[0] < starts.length; }).map(function (a) {
      var end = a[0] + 1 < starts.length ? starts[a[0] + 1] - 1 : text.length;
      return { id: a[1], title: text.slice(starts[a[0]], end), start: starts[a[0]], end: end };
    });
    var inHeading = places.filter(function (r) {
      return headings.some(function (h) { return r[0] >= h.start && r[1] <= h.end; });
    });
    var centre = inHeading[0] || places[0];
    var heading = null;
    if (centre) headings.forEach(function (h) { if (h.start <= centre[0]) heading = h; });
    return { ranges: ranges, centre: centre, heading: heading };
  }

  /* Where words end in both languages: white space, and Japanese punctuation and brackets. */
  var BREAK = /[\s、。，．・「」『』（）()]/;

  /* Where a result leads: its page at the heading the match comes under, with a text
     fragment (`:~:text=`, the matched words and a few around them) that browsers scroll to
     and highlight; a browser without text fragments, or one that cannot find the words, stops
     at the heading. Glossary entries keep their own address. */
  function resultUrl(fragment, found) {
    if (fragment.glossary || !found.centre) return fragment.url;
    var text = fragment.text;
    var at = found.centre[0];
    var end = found.centre[1];
    var under = found.heading;
    // In the heading itself, the heading is the place; the same words are in the page's table
    // of contents, which comes first and is where a text fragment would stop.
    if (under && at >= under.start && end <= under.end) return fragment.url + '#' + under.id;
    // `-`, `,` and `&` have meanings in a text fragment; encodeURIComponent leaves `-` as is.
    var enc = function (t) { return encodeURIComponent(t).replace(/-/g, '%2D'); };
    // The words around the match, from the same paragraph and cut where a word ends, tell
    // this place from an earlier one (in the page's lead, say) that has the same words.
    var from = Math.max(text.lastIndexOf('\n', at - 1) + 1, at - 24);
    while (from < at && from > 0 && text[from - 1] !== '\n' && !BREAK.test(text[from - 1])) from++;
    var line = text.indexOf('\n', end);
    var to = Math.min(line < 0 ? text.length : line, end + 24);
    while (to > end && to < text.length && text[to] !== '\n' && !BREAK.test(text[to])) to--;
    var prefix = text.slice(from, at).trim();
    var suffix = text.slice(end, to).trim();
    // Words with nothing around them (a table cell) could be found first anywhere else.
    if (!prefix && !suffix) return under ? fragment.url + '#' + under.id : fragment.url;
    return fragment.url + '#' + (under ? under.id : '') + ':~:text=' +
      (prefix ? enc(prefix) + '-,' : '') + enc(text.slice(at, end)) + (suffix ? ',-' + enc(suffix) : '');
  }

  /* About `size` characters of `text` around the place `locate` found (computed when not
     given), from the start of that place's block when that is in reach: [{text, mark, sep}]. */
  function snippet(text, query, terms, size, found) {
    found = found || locate(text, query, terms);
    var ranges = found.ranges;
    var centre = found.centre;
    var start = 0;
    if (centre) {
      start = Math.max(0, centre[0] - Math.floor(size / 3));
      var block = centre[0] > 0 ? text.lastIndexOf('\n', centre[0] - 1) : -1;
      if (block >= start) {
        start = block + 1;
      } else if (start > 0) {
        // Start at a word: after a space or a Japanese comma or full stop within a few
        // characters, else never inside a word.
        var space = text.slice(start, centre[0]).search(BREAK);
        if (space >= 0 && space < 16) start += space + 1;
        while (start > 0 && start < centre[0] && isWord(text[start - 1]) && isWord(text[start])) start++;
      }
    }
    var end = Math.min(text.length, start + size);
    // End at a word: before the last space within a few characters, never inside a word.
    if (end < text.length && isWord(text[end - 1]) && isWord(text[end])) {
      var from = Math.max(start, end - 16);
      var tail = text.slice(from, end);
      var cut = Math.max(tail.lastIndexOf(' '), tail.lastIndexOf('\n'));
      if (cut > 0) end = from + cut;
    }
    var parts = [];
    if (start > 0) parts.push({ text: '… ', mark: false });
    var at = start;
    ranges.forEach(function (r) {
      if (r[1] <= at || r[0] >= end) return;
      var s = Math.max(r[0], at);
      if (s > at) pushPlain(parts, text.slice(at, s));
      parts.push({ text: text.slice(s, Math.min(r[1], end)), mark: true });
      at = Math.min(r[1], end);
    });
    if (at < end) pushPlain(parts, text.slice(at, end));
    if (end < text.length) parts.push({ text: ' …', mark: false });
    return parts;
  }

  var api = {
    normalize: normalize, tokens: tokens, stem: stem, shardKey: shardKey, shardOf: shardOf,
    queryTerms: queryTerms, Searcher: Searcher, locate: locate, snippet: snippet,
    resultUrl: resultUrl
  };
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
    return;
  }
  root.tebikiSearch = api;

  // ---------- The search box ----------
  var box = document.querySelector('[data-search]');
  if (!box || !window.fetch || !window.Promise) return;
  var input = box.querySelector('input[type="search"]');
  var list = box.querySelector('[data-search-results]');
  var status = box.querySelector('[data-search-status]');
  var panel = box.querySelector('[data-search-panel]');
  if (!input || !list || !status || !panel) return;
  // What the panel shows when it has no results to list (none found, no index): the live
  // region reads it out, so this copy is for the eyes only.
  var message = panel.querySelector('[data-search-message]');
  if (!message) {
    message = document.createElement('p');
    message.className = 'search-message';
    message.setAttribute('aria-hidden', 'true');
    panel.insertBefore(message, panel.firstChild);
  }
  var base = box.getAttribute('data-index');
  var lang = box.getAttribute('data-lang') || document.documentElement.lang;
  var say = function (name) { return box.getAttribute('data-t-' + name) || ''; };
  var searcher = new Searcher(function (path) {
    return fetch(base + path).then(function (r) {
      if (!r.ok) throw new Error(r.status + ' ' + path);
      return r.json();
    });
  });
  var active = -1;
  var serial = 0;
  var timer = 0;
  // How many results in the reader's language the box lists: ten, and ten more each time the
  // reader asks (an option at the end of them, when the theme gives its words).
  var PAGE = 10;
  var limit = PAGE;
  box.hidden = false;
  var form = box.closest('form') || box.querySelector('form');
  if (form) form.addEventListener('submit', function (e) { e.preventDefault(); go(); });

  function options() { return list.querySelectorAll('[role="option"]'); }

  function close() {
    panel.hidden = true;
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function open() {
    panel.hidden = false;
  }

  function highlight(n) {
    var opts = options();
    if (!opts.length) return;
    active = (n + opts.length) % opts.length;
    opts.forEach(function (o, i) { o.setAttribute('aria-selected', i === active ? 'true' : 'false'); });
    input.setAttribute('aria-activedescendant', opts[active].id);
    opts[active].scrollIntoView({ block: 'nearest' });
  }

  function go() {
    var opts = options();
    var target = opts[active >= 0 ? active : 0];
    if (!target) return;
    if (target.hasAttribute('data-search-more')) more(true);
    else window.location.href = target.href;
  }

  /* Lists ten more results; from the keyboard, the first of them is chosen. */
  function more(keyboard) {
    var listed = list.querySelectorAll('.search-result:not(.search-result-other)').length;
    limit = listed + PAGE;
    run(keyboard ? listed : -1);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  /* A separator between two pieces of text: seen, not read out (a screen reader hears the
     pieces as separate words, by the spaces around it). */
  function separator(parent, mark) {
    var sep = el('span', 'search-sep', mark);
    sep.setAttribute('aria-hidden', 'true');
    parent.appendChild(document.createTextNode(' '));
    parent.appendChild(sep);
    parent.appendChild(document.createTextNode(' '));
  }

  /* One result: a list item holding a single link that is the listbox's option, so that
     nothing interactive is nested in an option and a click, a middle click or Enter all
     follow the same address. */
  function item(h, query, terms, n) {
    var f = h.fragment;
    var li = el('li', '');
    li.setAttribute('role', 'none');
    var found = locate(f.text, query, terms, f.anchors);
    // A match under a heading links to that heading, which the result names.
    var under = found.heading;
    var a = el('a', 'search-result' + (h.own ? '' : ' search-result-other'));
    a.setAttribute('role', 'option');
    a.id = 'search-option-' + n;
    a.setAttribute('aria-selected', 'false');
    a.href = resultUrl(f, found);
    a.tabIndex = -1;
    if (!h.own) a.hreflang = f.lang;
    var title = el('span', 'search-result-title', f.title);
    if (!h.own) title.lang = f.lang;
    a.appendChild(title);
    var where = f.glossary ? say('glossary') : f.section;
    if (where || under || !h.own) {
      var meta = el('span', 'search-result-section');
      if (where) {
        var section = el('span', '', where);
        if (!h.own && !f.glossary) section.lang = f.lang;
        meta.appendChild(section);
      }
      if (under) {
        if (where) separator(meta, '›');
        var heading = el('span', 'search-result-heading', under.title);
        if (!h.own) heading.lang = f.lang;
        meta.appendChild(heading);
      }
      if (!h.own) {
        // The language's own name, in that language.
        var badge = el('span', 'lang-badge', box.getAttribute('data-name-' + f.lang) || f.lang);
        badge.lang = f.lang;
        meta.appendChild(badge);
      }
      a.appendChild(meta);
    }
    var p = el('span', 'search-result-snippet');
    if (!h.own) p.lang = f.lang;
    snippet(f.text, query, terms, 110, found).forEach(function (part) {
      if (part.sep) separator(p, part.text);
      else p.appendChild(part.mark ? el('mark', '', part.text) : document.createTextNode(part.text));
    });
    a.appendChild(p);
    // The box keeps the focus while the pointer is down, so the list stays until the click.
    a.addEventListener('mousedown', function (e) { e.preventDefault(); });
    li.appendChild(a);
    return li;
  }

  function show(query, found) {
    list.textContent = '';
    active = -1;
    input.removeAttribute('aria-activedescendant');
    var n = 0;
    found.own.forEach(function (h) { list.appendChild(item(h, query, found.terms, n++)); });
    var left = found.total - found.own.length;
    if (left > 0 && say('more')) {
      // An option like the results, so the arrows and Enter reach it; it keeps the focus in
      // the box, as they do.
      var li = el('li', '');
      li.setAttribute('role', 'none');
      var button = el('button', 'search-more', say('more').replace('{n}', String(Math.min(PAGE, left))));
      button.type = 'button';
      button.id = 'search-option-' + n++;
      button.tabIndex = -1;
      button.setAttribute('role', 'option');
      button.setAttribute('aria-selected', 'false');
      button.setAttribute('data-search-more', '');
      button.addEventListener('mousedown', function (e) { e.preventDefault(); });
      button.addEventListener('click', function () { more(false); });
      li.appendChild(button);
      list.appendChild(li);
    }
    if (found.other.length) {
      var head = el('li', 'search-other-heading', say('other'));
      head.setAttribute('role', 'presentation');
      list.appendChild(head);
      found.other.forEach(function (h) { list.appendChild(item(h, query, found.terms, n++)); });
    }
    // The count of pages found in the reader's language; when the box lists fewer, how many
    // of them it lists.
    var count = found.total;
    var listed = found.own.length;
    var text = count === 0 ? say('none').replace('{q}', query)
      : count === 1 ? say('one')
      : listed < count && say('shown') ? say('shown').replace('{shown}', String(listed)).replace('{n}', String(count))
      : say('many').replace('{n}', String(count));
    if (count === 0 && found.other.length) text += ' ' + say('offer');
    status.textContent = text;
    tell(count === 0 ? text : '');
    box.setAttribute('data-search-shown', query);
    open();
  }

  /* Shows `text` in the panel above the list, or nothing when it is empty. */
  function tell(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  /* Searches for what the box holds; `choose`, when not negative, is the option to choose in
     the results shown. */
  function run(choose) {
    var query = input.value;
    var mine = ++serial;
    if (!query.trim()) { list.textContent = ''; status.textContent = ''; tell(''); close(); return; }
    searcher.results(query, lang, limit, 5).then(function (found) {
      if (mine !== serial) return;
      show(query, found);
      if (choose >= 0) highlight(choose);
    }, function () {
      if (mine === serial) { list.textContent = ''; status.textContent = say('error'); tell(say('error')); open(); }
    });
  }

  /* A new query: its first ten results, shortly, so that typing is not slowed. */
  function later() {
    clearTimeout(timer);
    limit = PAGE;
    timer = setTimeout(run, 60);
  }
  // While an input method composes a word (Japanese is typed as a reading, then converted),
  // the box holds a reading the reader has not chosen yet: search once the word is settled,
  // and leave Enter, the arrows and Escape to the input method, which uses them to convert,
  // pick a candidate and cancel. Chromium and Firefox mark those events `isComposing`; Safari
  // ends the composition first and marks its Enter with keyCode 229 instead.
  function composing(e) { return e.isComposing || e.keyCode === 229; }
  input.addEventListener('input', function (e) { if (!composing(e)) later(); });
  input.addEventListener('compositionend', later);
  input.addEventListener('focus', function () { if (input.value.trim() && list.children.length) open(); });
  input.addEventListener('keydown', function (e) {
    if (composing(e)) return;
    // With the results closed, either arrow opens them; open, ArrowUp from none chosen
    // chooses the last.
    if (e.key === 'ArrowDown') { e.preventDefault(); if (panel.hidden) run(-1); else highlight(active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); if (panel.hidden) run(-1); else highlight(active < 0 ? -1 : active - 1); }
    else if (e.key === 'Enter') { e.preventDefault(); go(); }
    else if (e.key === 'Escape') {
      if (!panel.hidden) { e.preventDefault(); close(); }
      else if (input.value) { e.preventDefault(); input.value = ''; limit = PAGE; run(-1); }
    }
  });
  document.addEventListener('click', function (e) { if (!box.contains(e.target)) close(); });
  // The focus leaving the box (Tab, or the window losing it) closes the results, which would
  // otherwise cover what has the focus next; coming back to the box shows them again.
  box.addEventListener('focusout', function (e) { if (!box.contains(e.relatedTarget)) close(); });
  // A link to a page with `?q=words` opens it with the results for those words, as mdBook's
  // `?search=` does: a search can be shared, or set up as a browser's site search.
  var asked = window.URLSearchParams ? new URLSearchParams(window.location.search).get('q') : null;
  if (asked && asked.trim()) {
    input.value = asked;
    run(-1);
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === '/' && document.activeElement !== input && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
      e.preventDefault();
      input.focus();
    }
  });
})(this);
