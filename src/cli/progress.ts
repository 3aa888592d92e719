/** A one-line progress display on stderr: redrawn in place on a terminal, a line per 10% elsewhere. */
export function progress(label: string, total: number) {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let done = 0;
  let lastTenth = -1;
  const draw = () => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const line = `${label}: ${done.toLocaleString("en")}/${total.toLocaleString("en")} (${percent}%)`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (Math.floor(percent / 10) !== lastTenth) {
      lastTenth = Math.floor(percent / 10);
      process.stderr.write(`${line}\n`);
    }
  };
  return {
    add(n: number) {
      done += n;
      draw();
    },
    finish() {
      done = total;
      draw();
      process.stderr.write(`${tty ? "\n" : ""}${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}
