// Renders media/icon-source.svg into media/icon.png (128×128, the size the Marketplace and the
// Extensions view show) with the same Chromium the workbench tests drive. Run: npm run icon.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './code-server.mjs';
import { root } from './setup.mjs';

const svg = readFileSync(join(root, 'media', 'icon-source.svg'), 'utf8');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true, type: 'png' });
  writeFileSync(join(root, 'media', 'icon.png'), png);
  console.log(`media/icon.png: ${png.length} bytes`);
} finally {
  await browser.close();
}
