// Opens HTML reports in Debian's headless chromium through playwright-core
// and checks what a person would see: no console error or page error, no
// request leaving the file (the page must be self-contained), as many
// svg.ia-chart as <body data-charts="N"> declares, each non-empty chart laid
// out with at least one visible .ia-mark, and a click on a numeric column of
// the first sortable table with 3 or more rows (else of a later one, else a
// text column) sorting it ascending, a second click descending. A page
// without such a table says the sort was not checked. A full-page screenshot of each page goes to the
// artifacts folder (NAME.png); pages named with --all-views also get
// NAME-dark.png (prefers-color-scheme: dark) and NAME-phone.png (390x844,
// mobile), where the page must not scroll sideways.
//
// usage: node report_browser.mjs --node-modules DIR --artifacts DIR
//                                [--all-views NAME.html]... PAGE.html...
// Prints "ok NAME: ..." per page, "FAIL NAME: problem" per problem; exits 1
// if any page failed, 2 on bad usage.
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Exactly the flags issue 7 names: without the background-networking ones
// chromium keeps trying the closed network of CI machines.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const PAGE_TIMEOUT_MS = 20000;

function usage(msg) {
  process.stderr.write(`report_browser.mjs: ${msg}\n` +
    'usage: node report_browser.mjs --node-modules DIR --artifacts DIR ' +
    '[--all-views NAME.html]... PAGE.html...\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { modules: null, artifacts: null, allViews: new Set(), pages: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (++i < argv.length ? argv[i] : usage(`${a} needs a value`));
    if (a === '--node-modules') opts.modules = value();
    else if (a === '--artifacts') opts.artifacts = value();
    else if (a === '--all-views') opts.allViews.add(value());
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opts.pages.push(a);
  }
  if (!opts.modules || !opts.artifacts || opts.pages.length === 0)
    usage('--node-modules, --artifacts and at least one page are required');
  return opts;
}

// A context per view, so the colour scheme and the viewport are the page's
// first ones, as a reader's would be.
async function openView(browser, file, contextOptions, problems) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('websocket', (w) => problems.push(`opens a websocket to ${w.url()}`));
  // Recorded, and refused so that nothing leaves the machine: a report that
  // reaches out breaks offline and tells a server what the reader opens.
  const local = (url) => /^(file|data):/.test(url);
  page.on('request', (r) => {
    if (!local(r.url())) problems.push(`requests ${r.url()} (only file: and data: are allowed)`);
  });
  await context.route('**/*', (route) =>
    (local(route.request().url()) ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { context, page };
}

// Runs in the page: the charts the body declares against those present.
function inspectCharts() {
  const declared = document.body.dataset.charts;
  const charts = Array.from(document.querySelectorAll('svg.ia-chart'));
  const bad = [];
  for (const svg of charts) {
    if (svg.classList.contains('ia-empty')) continue;
    const name = svg.id || `svg.ia-chart #${charts.indexOf(svg) + 1}`;
    const box = svg.getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0)) {
      bad.push(`chart ${name} has an empty box (${box.width}x${box.height})`);
      continue;
    }
    const marks = Array.from(svg.querySelectorAll('.ia-mark'));
    if (marks.length === 0) {
      bad.push(`chart ${name} is not .ia-empty but has no .ia-mark`);
      continue;
    }
    // A line is flat (zero height) or a bar may be zero, but not every mark.
    const drawn = marks.some((m) => {
      const r = m.getBoundingClientRect();
      return r.width > 0 || r.height > 0;
    });
    if (!drawn) bad.push(`chart ${name}: none of its ${marks.length} .ia-mark is drawn`);
  }
  return { declared: declared === undefined ? null : declared, count: charts.length,
    empty: charts.filter((c) => c.classList.contains('ia-empty')).length, bad };
}

// Runs in the page, in one of two ways. With no argument it picks what to
// click: in the first sortable table with 3+ body rows (or a later one) a
// numeric column holding at least two different values, so that a click
// doing nothing cannot pass both directions; failing that, such a text
// column of the first table. With [table, column, kind] it reads that
// column top to bottom: numbers from data-v (else the text), empty cells
// left out, or the texts.
function sortableTables(read) {
  const tables = Array.from(document.querySelectorAll('table.ia-sortable'));
  const number = (cell) => {
    if (!cell) return null;
    const raw = cell.dataset.v !== undefined ? cell.dataset.v
      : cell.textContent.replace(/[,\s]/g, '');
    const v = raw === '' ? NaN : Number.parseFloat(raw);
    return Number.isFinite(v) ? v : null;
  };
  const column = (table, i, kind) => Array.from(table.tBodies[0].rows, (r) =>
    (kind === 'number' ? number(r.cells[i]) : (r.cells[i] ? r.cells[i].textContent.trim() : null)))
    .filter((v) => v !== null);
  if (read) return column(tables[read[0]], read[1], read[2]);

  const headings = Array.from(document.querySelectorAll('h1,h2,h3,h4'));
  const nameOf = (table) => {
    if (table.caption && table.caption.textContent.trim()) return table.caption.textContent.trim();
    if (table.getAttribute('aria-label')) return table.getAttribute('aria-label');
    const before = headings.filter((h) =>
      h.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
    return before ? `${before.textContent.trim()} (table #${tables.indexOf(table) + 1})`
      : `table #${tables.indexOf(table) + 1}`;
  };
  const candidates = tables.filter((t) => t.tBodies[0] && t.tBodies[0].rows.length >= 3);
  if (candidates.length === 0) return null;
  const pick = (table, kind) => {
    const heads = table.tHead && table.tHead.rows[0] ? Array.from(table.tHead.rows[0].cells) : [];
    const i = heads.findIndex((th) => (th.dataset.type === 'number') === (kind === 'number')
      && new Set(column(table, th.cellIndex, kind)).size >= 2);
    return i < 0 ? null : { table: tables.indexOf(table), column: heads[i].cellIndex, kind,
      name: nameOf(table), header: heads[i].textContent.trim() };
  };
  for (const t of candidates) {
    const target = pick(t, 'number');
    if (target) return target;
  }
  return pick(candidates[0], 'text')
    || { table: tables.indexOf(candidates[0]), column: -1, name: nameOf(candidates[0]) };
}

// The index of the first value out of order, or -1. Text may be ordered by
// the locale (localeCompare) or by code point: either is a sorted column.
function firstDisorder(values, ascending, kind) {
  const orders = kind === 'number' ? [(a, b) => a - b]
    : [(a, b) => a.localeCompare(b), (a, b) => (a < b ? -1 : a > b ? 1 : 0)];
  let first = -1;
  for (const cmp of orders) {
    let at = -1;
    for (let i = 1; i < values.length && at < 0; i++) {
      const c = cmp(values[i - 1], values[i]);
      if (ascending ? c > 0 : c < 0) at = i;
    }
    if (at < 0) return -1;
    if (first < 0) first = at;
  }
  return first;
}

async function checkSort(page, problems) {
  const target = await page.evaluate(sortableTables, null);
  if (!target) return 'no sortable table with 3 or more rows, sort not checked';
  if (target.column < 0)
    return `table '${target.name}' has no column with two different values, sort not checked`;
  const th = page.locator('table.ia-sortable').nth(target.table)
    .locator('thead tr').first().locator('th').nth(target.column);
  for (const ascending of [true, false]) {
    await th.click();
    const values = await page.evaluate(sortableTables, [target.table, target.column, target.kind]);
    const at = firstDisorder(values, ascending, target.kind);
    if (at >= 0) {
      problems.push(`table '${target.name}': after ${ascending ? 'one click' : 'a second click'} ` +
        `on '${target.header}' the column is not ${ascending ? 'ascending' : 'descending'} ` +
        `(${JSON.stringify(values[at - 1])} then ${JSON.stringify(values[at])} ` +
        `at body row ${at + 1})`);
      return null;
    }
  }
  return `sorted table '${target.name}'` + (target.kind === 'text' ? ' (by text)' : '');
}

async function checkPage(browser, file, name, artifacts, allViews) {
  const problems = [];
  const shot = name.replace(/\.html?$/, '');
  let summary = '';
  const { context, page } = await openView(browser, file, { colorScheme: 'light' }, problems);
  try {
    const charts = await page.evaluate(inspectCharts);
    if (charts.declared === null) problems.push('<body> has no data-charts attribute');
    else if (String(charts.count) !== charts.declared)
      problems.push(`declares ${charts.declared} charts (body data-charts) but has ${charts.count} svg.ia-chart`);
    problems.push(...charts.bad);
    const sorted = await checkSort(page, problems);
    summary = `${charts.count} chart${charts.count === 1 ? '' : 's'}` + (charts.empty ? ` (${charts.empty} empty)` : '') +
      (sorted ? `, ${sorted}` : '');
    await page.screenshot({ path: `${artifacts}/${shot}.png`, fullPage: true });
  } finally {
    await context.close();
  }
  if (allViews) {
    const dark = await openView(browser, file, { colorScheme: 'dark' }, problems);
    await dark.page.screenshot({ path: `${artifacts}/${shot}-dark.png`, fullPage: true });
    await dark.context.close();

    const phone = await openView(browser, file, { colorScheme: 'light', ...PHONE }, problems);
    // clientWidth is the layout viewport: with isMobile, innerWidth grows
    // when chromium zooms out to fit a too-wide page, hiding the overflow.
    const w = await phone.page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
      client: document.documentElement.clientWidth,
    }));
    const width = Math.min(w.inner, w.client);
    if (width > PHONE.viewport.width + 1)
      problems.push(`on a phone the page is laid out ${width}px wide, not ${PHONE.viewport.width} ` +
        '(no <meta name="viewport" content="width=device-width">?)');
    else if (w.scroll > width + 1)
      problems.push(`on a phone (${PHONE.viewport.width}px) the page scrolls sideways: ` +
        `${w.scroll}px wide`);
    await phone.page.screenshot({ path: `${artifacts}/${shot}-phone.png`, fullPage: true });
    await phone.context.close();
    summary += ', dark and phone views';
  }
  return { problems, summary };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(opts.artifacts, { recursive: true });
  // ESM ignores NODE_PATH: the pinned copy from scripts/bootstrap.sh is
  // imported by its path.
  const { chromium } = await import(
    pathToFileURL(resolve(opts.modules, 'playwright-core/index.mjs')).href);
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS,
  });
  let failed = 0;
  try {
    for (const file of opts.pages) {
      const name = basename(file);
      let result;
      try {
        result = await checkPage(browser, resolve(file), name, opts.artifacts,
          opts.allViews.has(name));
      } catch (e) {
        result = { problems: [`could not be checked: ${e.message.split('\n')[0]}`] };
      }
      if (result.problems.length) {
        failed++;
        for (const p of result.problems) console.log(`FAIL ${name}: ${p}`);
      } else {
        console.log(`ok ${name}: ${result.summary}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${opts.pages.length - failed} pages passed, ${failed} failed; ` +
    `screenshots in ${opts.artifacts}`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL: ${e.message}`);
  process.exit(1);
});
