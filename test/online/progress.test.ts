import { Writable } from 'node:stream';
import { rowProgress } from '../../runtime/cli/progress';

/** A stream that says it is a terminal and keeps what is written. */
function fakeTerminal(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  let written = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text(): string };
  Object.assign(stream, {
    isTTY,
    columns: 120,
    cursorTo: (_x: number, _y?: unknown, cb?: () => void) => (typeof cb === 'function' ? cb() : true),
    moveCursor: (_dx: number, _dy: number, cb?: () => void) => (typeof cb === 'function' ? cb() : true),
    clearLine: (_dir: number, cb?: () => void) => (typeof cb === 'function' ? cb() : true),
    clearScreenDown: (cb?: () => void) => (typeof cb === 'function' ? cb() : true),
    text: () => written.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''),
  });
  return stream;
}

describe('row progress bars', () => {
  test('on a terminal: one line per task with rows, the total when known, and rows/s', () => {
    const terminal = fakeTerminal(true);
    const progress = rowProgress({ stream: terminal });
    progress.update('a:reading', { label: 'driver_stats reading', rows: 12000, rowsPerSecond: 50000 });
    progress.update('a:writing', { label: 'driver_stats writing', rows: 500, totalRows: 1000, rowsPerSecond: 250000 });
    progress.update('a:writing', { label: 'driver_stats writing', rows: 1000, totalRows: 1000, rowsPerSecond: 260000 });
    progress.stop();
    const text = terminal.text();
    expect(text).toContain('driver_stats reading 12,000 rows  50,000 rows/s');
    expect(text).toMatch(/driver_stats writing \[█{28}\] 1,000\/1,000 rows {2}260,000 rows\/s/);
  });

  test('silent when stderr is not a terminal, or with --json', () => {
    for (const [tty, json] of [[false, false], [true, true]]) {
      const terminal = fakeTerminal(tty);
      const progress = rowProgress({ stream: terminal, json });
      progress.update('x', { label: 'x', rows: 1, rowsPerSecond: 1 });
      progress.stop();
      expect(terminal.text()).toBe('');
    }
  });
});
