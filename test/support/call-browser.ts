// Headless Chromium for the call tests: Debian's chromium driven by playwright-core, with fake
// camera and microphone, and a wait for getStats() (web/calls.js summarizeStats) to show media
// both ways over a relay candidate pair.

import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = [process.env['GUARDYN_CHROMIUM_BIN'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => p !== undefined && p !== '' && fs.existsSync(p),
);
export const CHROMIUM_SKIP_REASON =
  'no chromium found (apt-get install chromium, or set GUARDYN_CHROMIUM_BIN): the browser call test is skipped';

export function launchCallBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM!,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
}

export interface CallStats {
  readonly pair:
    | {
        state: string;
        nominated: boolean;
        bytesReceived: number;
        bytesSent: number;
        local: { candidateType?: string };
        remote: { candidateType?: string };
      }
    | undefined;
  readonly inbound: { bytes: number; packets: number; kinds: string[] };
  readonly outbound: { bytes: number; packets: number; kinds: string[] };
}

/**
 * Polls `window.peer.stats()` (or `expr`) until the selected pair is relay-relay with bytes
 * received and inbound audio and video both flowing; the last stats in the error otherwise.
 */
export async function waitForRelayedMedia(
  page: Page,
  turnOutput: () => string,
  timeoutMs = 60_000,
  expr = 'window.peer',
): Promise<CallStats> {
  const deadline = Date.now() + timeoutMs;
  let last: CallStats | undefined;
  for (;;) {
    last = (await page.evaluate(`(async () => (await ${expr}.stats()))()`)) as CallStats;
    const p = last.pair;
    if (
      p !== undefined &&
      p.local.candidateType === 'relay' &&
      p.remote.candidateType === 'relay' &&
      p.bytesReceived > 0 &&
      last.inbound.bytes > 0 &&
      last.inbound.kinds.length >= 2
    )
      return last;
    if (Date.now() > deadline)
      throw new Error(
        `no media over a relay pair within ${timeoutMs / 1000} s: ${JSON.stringify(last)}\ncoturn: ${turnOutput().split('\n').slice(-15).join('\n')}`,
      );
    await sleep(250);
  }
}
