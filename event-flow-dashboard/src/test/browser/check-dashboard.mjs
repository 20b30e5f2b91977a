// Checks the live event-flow page in a real headless Chromium, then takes a screenshot.
//
//   node check-dashboard.mjs <page url> <screenshot.png> [group=members ...]
//
// Signs in first, as the operator does: the page sends the browser to the authorization server's
// form (OPERATOR_USERNAME, default operator; OPERATOR_PASSWORD, default operator-secret).
// Then waits (at most CHECK_TIMEOUT_MS, 30 s) until the page is live, shows purchases flowing
// (a publish rate above zero) and, for each group=members given, that many members sharing
// all the partitions. Prints what the page shows and how long it took; exits 1 otherwise.
// Chromium: CHROMIUM_PATH, default /usr/bin/chromium (Debian's package).
import { chromium } from 'playwright-core';

const [url, screenshot, ...expectations] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node check-dashboard.mjs <page url> <screenshot.png> [group=members ...]');
  process.exit(2);
}
const expected = expectations.map((expectation) => expectation.split('='));
const timeout = Number(process.env.CHECK_TIMEOUT_MS ?? 30000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // As root in a container, and on a machine whose only network is local.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
  const started = Date.now();
  await page.goto(url);
  if (!page.url().startsWith(url)) {
    // The authorization server's sign-in form.
    await page.fill('#username', process.env.OPERATOR_USERNAME ?? 'operator');
    await page.fill('#password', process.env.OPERATOR_PASSWORD ?? 'operator-secret');
    await Promise.all([page.waitForURL((target) => target.toString().startsWith(url), { timeout }),
      page.click('button[type="submit"]')]);
  }
  const signedInAfterMs = Date.now() - started;
  try {
    await page.waitForFunction((groups) => {
      const status = document.getElementById('status');
      const rate = Number(document.getElementById('rate').textContent.replace(/,/g, ''));
      if (!status.classList.contains('live') || !(rate > 0)) return false;
      return groups.every(([name, members]) => {
        const group = document.querySelector(`[data-group="${name}"]`);
        return group && group.dataset.members === members
          && group.dataset.assigned === String(group.querySelectorAll('.partition').length);
      });
    }, expected, { timeout, polling: 250 });
  } finally {
    await page.screenshot({ path: screenshot, fullPage: true });
  }
  const shown = await page.evaluate(() => ({
    rate: document.getElementById('rate').textContent,
    published: document.getElementById('published').textContent,
    deadLetters: document.getElementById('dead-letter-total').textContent,
    replenishmentRows: document.querySelectorAll('#replenishments tbody tr td:not(.empty)').length > 0
      ? document.querySelectorAll('#replenishments tbody tr').length : 0,
    groups: [...document.querySelectorAll('[data-group]')].map((group) => ({
      group: group.dataset.group,
      members: Number(group.dataset.members),
      assigned: Number(group.dataset.assigned),
      lag: Number(group.dataset.lag),
      owners: [...group.querySelectorAll('.partition')].map((partition) => partition.dataset.member),
    })),
  }));
  console.log(JSON.stringify({ signedInAfterMs, shownAfterMs: Date.now() - started, ...shown }));
} catch (error) {
  console.error(`The page did not show what was expected (${expectations.join(', ')}): ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
