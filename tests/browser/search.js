// The search box in a real browser: serves a built site on loopback under a sub-path, drives
// headless Chromium with playwright-core, types queries in English and Japanese at phone and
// desktop widths, and checks the results, the keyboard, the live region, the layout and, with
// the results open, axe-core's WCAG rules.
//
//   node tests/browser/search.js PUBLIC_DIR PORT BASE_PATH [SCREENSHOT_DIR]
//
// The site must have been built with --base-url http://127.0.0.1:PORT<BASE_PATH>.
// Chromium: $CHROMIUM, else /usr/bin/chromium. Exit 0 when every check passed, 1 when one
// failed, 2 when the browser or playwright-core is missing.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const [dir, portArg, basePath = '/', shots] = process.argv.slice(2);
const port = Number(portArg);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

let playwright;
let axeSource;
try {
  playwright = require('playwright-core');
  axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  console.error('playwright-core or axe-core is not installed: run `npm ci` in tests/browser (see .ci/run)');
  process.exit(2);
}
if (!fs.existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: install it (Debian: apt-get install -y chromium) or set CHROMIUM`);
  process.exit(2);
}

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split('?')[0]);
  if (!url.startsWith(basePath)) { res.writeHead(404); res.end('outside the base path'); return; }
  let file = path.join(dir, url.slice(basePath.length));
  if (!file.startsWith(path.resolve(dir))) { res.writeHead(403); res.end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  fs.readFile(file, (err, body) => {
    if (err) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(body);
  });
});

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`); }
}

const root = `http://127.0.0.1:${port}${basePath}`;
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function results(page) {
  return page.$$eval('#search-results .search-result', (opts) => opts.map((o) => ({
    title: o.querySelector('.search-result-title').textContent,
    href: o.href,
    marks: Array.from(o.querySelectorAll('mark')).map((m) => m.textContent),
    heading: (o.querySelector('.search-result-heading') || {}).textContent || '',
    other: o.classList.contains('search-result-other'),
  })));
}

async function typeQuery(page, text, { slowly = false } = {}) {
  await page.evaluate(() => {
    const d = document.documentElement;
    if (!d.dataset.baselineWidth) d.dataset.baselineWidth = String(d.scrollWidth);
  });
  const input = page.locator('#search-input');
  await input.fill('');
  if (slowly) await input.pressSequentially(text, { delay: 20 });
  else await input.fill(text);
  // search.js marks the box with the query whose results it shows.
  await page.waitForFunction((q) => {
    const box = document.querySelector('[data-search]');
    return box.getAttribute('data-search-shown') === q && !document.querySelector('[data-search-panel]').hidden;
  }, text, { timeout: 10000 });
  return results(page);
}

// axe-core over the page with the results open and one of them chosen: the same WCAG 2.1 A
// and AA rules as site.mjs runs over every page.
async function accessible(page, label) {
  await page.locator('#search-input').press('ArrowDown');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: axeSource });
  }
  const violations = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'],
  }).then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 2).join(' | ')}`)));
  check(`${label}: no axe violation with the results open`, violations.length === 0, violations.join('; '));
}

async function layout(page, width, label) {
  const box = await page.locator('#search-input').boundingBox();
  check(`${label}: the search box fits in ${width} px`, box && box.x >= 0 && box.x + box.width <= width + 0.5, JSON.stringify(box));
  const panel = await page.locator('[data-search-panel]').boundingBox();
  check(`${label}: the results fit in ${width} px`, panel && panel.x >= 0 && panel.x + panel.width <= width + 0.5, JSON.stringify(panel));
  // The page may be wider for reasons of its own; the open results must not make it wider.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  const baseline = await page.evaluate(() => Number(document.documentElement.dataset.baselineWidth));
  check(`${label}: the results add no sideways scrolling`, overflow <= Math.max(width, baseline), `scrollWidth ${overflow}, before ${baseline}`);
}

async function run(browser) {
  const foreign = [];
  const watch = (page) => page.on('request', (r) => {
    if (!r.url().startsWith(`http://127.0.0.1:${port}/`) && !r.url().startsWith('data:')) foreign.push(r.url());
  });

  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 844 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    watch(page);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // English.
    await page.goto(`${root}guides/ai-act/`);
    // The header's controls are in the Tab order as they are seen: row by row, left to right.
    const order = await page.$$eval('.header-inner :is(a[href], input)', (els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { name: e.id || e.textContent.trim(), top: r.top, bottom: r.bottom, left: r.left };
    }));
    const outOfOrder = order.filter((e, i) => {
      if (i === 0) return false;
      const before = order[i - 1];
      const below = e.top >= before.bottom - 1;
      const besideAfter = e.top < before.bottom && e.bottom > before.top && e.left > before.left;
      return !(below || besideAfter);
    });
    check(`${width}: the header's Tab order is its visual order`, order.length >= 3 && outOfOrder.length === 0,
      JSON.stringify(order.map((e) => [e.name, Math.round(e.top), Math.round(e.left)])));
    const label = page.locator('label[for="search-input"]');
    check(`${width}: the English label is visible`, await label.isVisible() && (await label.textContent()) === 'Search');
    let found = await typeQuery(page, 'subsidies', { slowly: true });
    check(`${width}: "subsidies" finds the compute guide`, found.slice(0, 5).some((r) => r.title.startsWith('Chips and compute')), JSON.stringify(found.map((r) => r.title)));
    check(`${width}: "subsidies" highlights subsidy`, found.some((r) => r.marks.some((m) => /^subsid/i.test(m))), JSON.stringify(found.map((r) => r.marks)));
    const status = await page.locator('[data-search-status]').textContent();
    check(`${width}: the result count is announced`, /^\d+ results?$/.test(status) && (await page.locator('[data-search-status]').getAttribute('aria-live')) === 'polite', status);
    if (width === 390 && shots) await page.screenshot({ path: path.join(shots, 'search-en-390.png') });
    if (width === 1280 && shots) await page.screenshot({ path: path.join(shots, 'search-en-1280.png') });
    await layout(page, width, `${width} en`);
    await accessible(page, `${width} en`);

    // More results than the box lists: the count says how many of them it shows.
    found = await typeQuery(page, 'AI');
    const many = await page.locator('[data-search-status]').textContent();
    const manyOf = /^Showing (\d+) of (\d+) results$/.exec(many);
    check(`${width}: more results than are listed are counted honestly`, manyOf !== null &&
      Number(manyOf[1]) === found.filter((r) => !r.other).length && Number(manyOf[2]) > Number(manyOf[1]), `${many}, ${found.length} listed`);

    // And the rest are a choice away: the option after the listed ones lists ten more, by
    // pointer or by keyboard, where the first of them is then chosen.
    const moreOption = page.locator('#search-results .search-more');
    const listedOwn = found.filter((r) => !r.other).length;
    const moreText = `Show ${Math.min(10, Number(manyOf && manyOf[2]) - listedOwn)} more`;
    check(`${width}: an option offers the next results`, (await moreOption.count()) === 1 && (await moreOption.textContent()) === moreText &&
      (await moreOption.getAttribute('role')) === 'option', `${await moreOption.count()} ${await moreOption.count() && await moreOption.textContent()}`);
    const inputBox = page.locator('#search-input');
    for (let i = 0; i <= listedOwn; i++) await inputBox.press('ArrowDown');
    check(`${width}: the arrows reach it`, (await inputBox.getAttribute('aria-activedescendant')) === `search-option-${listedOwn}` &&
      (await moreOption.getAttribute('aria-selected')) === 'true', await inputBox.getAttribute('aria-activedescendant'));
    await inputBox.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results .search-result:not(.search-result-other)').length > n, listedOwn, { timeout: 10000 }).catch(() => {});
    const afterMore = await results(page);
    const shownNow = /^Showing (\d+) of (\d+) results$|^(\d+) results$/.exec(await page.locator('[data-search-status]').textContent());
    check(`${width}: Enter on it lists more and chooses the first new one`, afterMore.filter((r) => !r.other).length === Math.min(listedOwn + 10, Number(manyOf && manyOf[2])) &&
      (await inputBox.getAttribute('aria-activedescendant')) === `search-option-${listedOwn}` && page.url().includes('/guides/ai-act/') && shownNow !== null,
      `${afterMore.length} listed, ${await inputBox.getAttribute('aria-activedescendant')}, ${page.url()}`);
    const again = await typeQuery(page, 'ai');
    check(`${width}: a new query starts again from ten`, again.filter((r) => !r.other).length === listedOwn, `${again.length}`);
    await page.locator('#search-results .search-more').click();
    await page.waitForFunction((n) => document.querySelectorAll('#search-results .search-result:not(.search-result-other)').length > n, listedOwn, { timeout: 10000 }).catch(() => {});
    check(`${width}: a click on it lists more, the box keeping the focus`, (await results(page)).filter((r) => !r.other).length > listedOwn &&
      (await page.evaluate(() => document.activeElement && document.activeElement.id)) === 'search-input');

    found = await typeQuery(page, 'AISI');
    check(`${width}: "AISI" finds the glossary entry`, found.length > 0 && found[0].title === 'AI Safety Institute (AISI)', JSON.stringify(found.map((r) => r.title)));

    // Keyboard: arrows, Enter, Escape.
    const input = page.locator('#search-input');
    // Tab away from the box: the results (for "AISI") close instead of covering what has the
    // focus next.
    await input.press('Tab');
    check(`${width}: Tab away closes the results`, await page.locator('[data-search-panel]').isHidden() &&
      (await page.evaluate(() => !document.querySelector('[data-search]').contains(document.activeElement))));
    await input.focus();
    check(`${width}: back in the box, the results show again`, await page.locator('[data-search-panel]').isVisible());
    found = await typeQuery(page, 'geniac');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    const active = await input.getAttribute('aria-activedescendant');
    const selected = await page.$eval(`#${active}`, (o) => [o.getAttribute('aria-selected'), o.href]);
    check(`${width}: arrows move through the results`, active === 'search-option-1' && selected[0] === 'true', `${active} ${selected}`);
    await input.press('ArrowUp');
    check(`${width}: ArrowUp goes back`, (await input.getAttribute('aria-activedescendant')) === 'search-option-0');
    await input.press('Escape');
    check(`${width}: Escape closes the results`, await page.locator('[data-search-panel]').isHidden());
    // ArrowUp, like ArrowDown, opens closed results rather than choosing one unseen; then,
    // with none chosen, it chooses the last.
    await input.press('ArrowUp');
    await page.waitForFunction(() => !document.querySelector('[data-search-panel]').hidden, null, { timeout: 3000 }).catch(() => {});
    check(`${width}: ArrowUp opens closed results, choosing none`, await page.locator('[data-search-panel]').isVisible() &&
      (await input.getAttribute('aria-activedescendant')) === null, await input.getAttribute('aria-activedescendant'));
    await input.press('ArrowUp');
    const last = `search-option-${(await results(page)).length - 1}`;
    check(`${width}: ArrowUp with none chosen chooses the last result`, (await input.getAttribute('aria-activedescendant')) === last,
      `${await input.getAttribute('aria-activedescendant')} vs ${last}`);
    await input.press('Escape');
    await input.press('ArrowDown');
    await page.waitForFunction(() => !document.querySelector('[data-search-panel]').hidden);
    await input.press('ArrowDown');
    const target = await page.$eval('#search-option-0', (a) => a.href);
    await Promise.all([page.waitForURL(target), input.press('Enter')]);
    check(`${width}: Enter opens the chosen result`, page.url() === target, `${page.url()} vs ${target}`);
    // A result whose match is under a heading opens at that heading.
    await page.goto(`${root}guides/ai-act/`);
    found = await typeQuery(page, 'subsidies');
    const under = found.find((r) => r.href.includes('#') && r.heading);
    check(`${width}: a result carries its words as a text fragment`, found.some((r) => /#[^#]*:~:text=[^,]+-,subsid/.test(r.href)), JSON.stringify(found.map((r) => r.href)));
    check(`${width}: a result names the heading its match is under`, !!under, JSON.stringify(found.map((r) => [r.href, r.heading])));
    if (under) {
      await page.goto(under.href);
      const heading = await page.evaluate(() => {
        const h = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        return h && /^H[1-6]$/.test(h.tagName) ? h.textContent : null;
      });
      check(`${width}: the result opens at its heading`, heading !== null && heading.includes(under.heading), `${under.href}: ${heading} vs ${under.heading}`);
    }

    // A shared search: `?q=` opens the page with its results.
    await page.goto(`${root}ja/?q=${encodeURIComponent('推進法')}`);
    await page.waitForFunction(() => document.querySelector('[data-search]').getAttribute('data-search-shown') === '推進法', null, { timeout: 10000 });
    found = await results(page);
    check(`${width}: ?q=推進法 opens the page with its results`, found.length > 0 && found[0].title.startsWith('AI推進法') && (await page.locator('#search-input').inputValue()) === '推進法', JSON.stringify(found.map((r) => r.title)));

    // Japanese.
    await page.goto(`${root}ja/`);
    check(`${width}: the Japanese label is visible`, (await page.locator('label[for="search-input"]').textContent()) === '検索');
    // Japanese is typed as a reading that an input method converts: Enter and the arrows
    // convert and choose while it composes, so they must not open or move through results,
    // and the reading is searched only once it is settled.
    await typeQuery(page, 'AI');
    const ime = await context.newCDPSession(page);
    const here = page.url();
    await ime.send('Input.imeSetComposition', { text: 'すいしん', selectionStart: 4, selectionEnd: 4 });
    // As an input method sends them: key code 229 and no character, so no form submission.
    for (const key of ['ArrowDown', 'Enter']) {
      for (const type of ['rawKeyDown', 'keyUp']) {
        await ime.send('Input.dispatchKeyEvent', { type, key, code: key, windowsVirtualKeyCode: 229 });
      }
    }
    await page.waitForTimeout(400);
    check(`${width}: Enter and arrows while composing stay with the input method`, page.url() === here && (await input.getAttribute('aria-activedescendant')) === null, page.url());
    check(`${width}: a reading being composed is not searched`, (await page.$eval('[data-search]', (b) => b.getAttribute('data-search-shown'))) === 'AI');
    await ime.send('Input.insertText', { text: '推進法' });
    await page.waitForFunction(() => document.querySelector('[data-search]').getAttribute('data-search-shown') === 'AI推進法', null, { timeout: 10000 });
    found = await results(page);
    check(`${width}: the converted word is searched`, found.length > 0 && found[0].title.startsWith('AI推進法'), JSON.stringify(found.map((r) => r.title)));
    await ime.detach();

    found = await typeQuery(page, '推進法');
    check(`${width}: "推進法" finds the AI推進法 guide first`, found.length > 0 && found[0].title.startsWith('AI推進法'), JSON.stringify(found.map((r) => r.title)));
    check(`${width}: "推進法" is highlighted whole`, found[0] && found[0].marks.includes('推進法'), JSON.stringify(found[0] && found[0].marks));
    const jaStatus = await page.locator('[data-search-status]').textContent();
    check(`${width}: the count is announced in Japanese`, /^(\d+件の結果|\d+件中\d+件を表示)$/.test(jaStatus), jaStatus);
    found = await typeQuery(page, 'AI');
    const jaMany = await page.locator('[data-search-status]').textContent();
    const jaOf = /^(\d+)件中(\d+)件を表示$/.exec(jaMany);
    check(`${width}: and in Japanese`, jaOf !== null && Number(jaOf[2]) === found.filter((r) => !r.other).length &&
      Number(jaOf[1]) > Number(jaOf[2]), `${jaMany}, ${found.length} listed`);
    found = await typeQuery(page, '計算資源');
    check(`${width}: "計算資源" finds the compute guide`, found.slice(0, 3).some((r) => r.title.startsWith('半導体と計算資源')), JSON.stringify(found.map((r) => r.title)));
    found = await typeQuery(page, 'ＡＩ推進法');
    check(`${width}: full-width "ＡＩ推進法" finds the guide`, found.length > 0 && found[0].title.startsWith('AI推進法'), JSON.stringify(found.map((r) => r.title)));
    found = await typeQuery(page, 'ガードレール');
    check(`${width}: kana-only "ガードレール" finds the glossary entry`, found.some((r) => r.title === 'ガードレール'));
    found = await typeQuery(page, '生成AI');
    check(`${width}: "生成AI" lists Japanese pages only`, found.length >= 5 && found.every((r) => !r.other && r.href.startsWith(`${root}ja/`)), JSON.stringify(found.map((r) => r.href)));
    if (width === 390 && shots) await page.screenshot({ path: path.join(shots, 'search-ja-390.png') });
    if (width === 1280 && shots) await page.screenshot({ path: path.join(shots, 'search-ja-1280.png') });
    await layout(page, width, `${width} ja`);
    await accessible(page, `${width} ja`);
    // A page the reader's language lacks (made so by dropping its translations from the
    // index): offered with a badge naming its language, in that language.
    await page.route('**/search/f/*.json', async (route) => {
      const json = await (await route.fetch()).json();
      delete json.alt;
      await route.fulfill({ json });
    });
    await page.goto(`${root}ja/`);
    found = await typeQuery(page, 'subsidies');
    const badges = await page.$$eval('.search-result-other', (as) => as.map((a) => {
      const b = a.querySelector('.lang-badge');
      return b && [b.textContent, b.closest('[lang]').lang, a.hreflang];
    }));
    check(`${width}: another language's page has a badge in that language`, badges.length > 0 &&
      badges.every((b) => b && b[0] === 'English' && b[1] === 'en' && b[2] === 'en'), JSON.stringify(badges));
    await page.unroute('**/search/f/*.json');
    await page.goto(`${root}ja/`);
    found = await typeQuery(page, 'zzqqxx');
    const none = await page.locator('[data-search-status]').textContent();
    check(`${width}: no results is said`, found.length === 0 && none.includes('zzqqxx'), none);
    // And shown: the panel holds the message, which the live region (not the panel) reads out.
    const message = page.locator('[data-search-panel] .search-message');
    check(`${width}: no results is shown`, (await message.isVisible()) && (await message.textContent()) === none &&
      (await message.getAttribute('aria-hidden')) === 'true', `${await message.count()} ${await page.locator('[data-search-panel]').boundingBox().then((b) => b && b.height)}`);
    // A search that cannot load its index says so, on screen too.
    await page.route('**/search/**', (route) => route.abort());
    await page.goto(`${root}guides/ai-act/`);
    await input.fill('geniac');
    await page.waitForFunction(() => document.querySelector('[data-search-status]').textContent !== '', null, { timeout: 10000 });
    const error = await page.locator('[data-search-status]').textContent();
    check(`${width}: an index that cannot load is said and shown`, error === 'Search is not available right now.' &&
      (await message.isVisible()) && (await message.textContent()) === error, error);
    await page.unroute('**/search/**');

    check(`${width}: no script errors`, errors.length === 0, errors.join('; '));
    await context.close();
  }

  // Without JavaScript: no box, nothing broken.
  const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await nojs.newPage();
  watch(page);
  await page.goto(`${root}guides/ai-act/`);
  check('without JavaScript the box is hidden', await page.locator('#search-input').isHidden());
  check('without JavaScript the page still reads', (await page.locator('main h1').textContent()).length > 0);
  await nojs.close();

  check('nothing is requested from another host', foreign.length === 0, foreign.join(', '));
}

server.listen(port, '127.0.0.1', async () => {
  let browser;
  try {
    browser = await playwright.chromium.launch({ executablePath, args: flags, headless: true });
    await run(browser);
  } catch (e) {
    check('the browser run completes', false, e && e.stack);
  } finally {
    if (browser) await browser.close();
    server.close();
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
});
