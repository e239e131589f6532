// Real headless Chromium (Debian's `chromium`), driven by playwright-core, which downloads no browser.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { chromiumCandidates } from './chromium-path';

export function chromiumPath(): string {
  const found = chromiumCandidates().find((path) => existsSync(path));
  if (!found)
    throw new Error(
      'Chromium not found: `apt-get install chromium` (or set CHROMIUM_PATH); `npm test` installs it as root.',
    );
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // This machine has no network but loopback: keep Chromium from reaching out in the background.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
