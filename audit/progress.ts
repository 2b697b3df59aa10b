/**
 * A progress bar with rate and time left, on stderr, only when stderr is a
 * terminal (quiet when piped or redirected). Redrawn at most 5 times a second.
 */
export interface Progress {
  /** Adds `n` done of `total` (the total may grow as streams are planned). */
  tick(n?: number): void;
  addTotal(n: number): void;
  done(): void;
}

const silent: Progress = { tick() {}, addTotal() {}, done() {} };

export function progressBar(label: string, enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return silent;
  const started = Date.now();
  let total = 0;
  let count = 0;
  let lastDraw = 0;
  const draw = (final: boolean) => {
    const now = Date.now();
    if (!final && now - lastDraw < 200) return;
    lastDraw = now;
    const seconds = Math.max(0.001, (now - started) / 1000);
    const rate = count / seconds;
    const share = total > 0 ? Math.min(1, count / total) : 0;
    const width = 30;
    const filled = Math.round(share * width);
    const left = rate > 0 && total > count ? Math.ceil((total - count) / rate) : 0;
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(1)}% ` +
        `${count}/${total} ${Math.round(rate)}/s ${final ? `${seconds.toFixed(1)}s` : `eta ${left}s`}   `,
    );
    if (final) process.stderr.write('\n');
  };
  return {
    tick(n = 1) {
      count += n;
      draw(false);
    },
    addTotal(n) {
      total += n;
    },
    done() {
      draw(true);
    },
  };
}
