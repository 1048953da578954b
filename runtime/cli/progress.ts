/**
 * Progress bars on stderr for long runs: one line per task with rows done, the total
 * when known, and rows per second. Silent when stderr is not a terminal or the
 * command prints JSON, so pipes and machines see only the result.
 */
import type { Params, SingleBar } from 'cli-progress';

export interface RowProgressState {
  /** Shown before the bar, e.g. the view name and the phase. */
  readonly label: string;
  readonly rows: number;
  /** Draws a bar when known; otherwise only the count. */
  readonly totalRows?: number;
  readonly rowsPerSecond: number;
}

export interface RowProgress {
  /** Shows or updates the line `id`. */
  update(id: string, state: RowProgressState): void;
  /** Leaves the last state on screen and releases the terminal. */
  stop(): void;
}

export interface RowProgressOptions {
  /** The command prints JSON: draw nothing. */
  readonly json?: boolean;
  /** @default process.stderr */
  readonly stream?: NodeJS.WriteStream;
}

const BAR_WIDTH = 28;
const number = new Intl.NumberFormat('en-US');

function line(params: Params, payload: { label: string; known: boolean; rate: number }): string {
  const rows = `${number.format(params.value)}${payload.known ? `/${number.format(params.total)}` : ''} rows`;
  const done = Math.round(Math.min(1, params.progress) * BAR_WIDTH);
  const bar = payload.known ? ` [${'█'.repeat(done)}${'░'.repeat(BAR_WIDTH - done)}]` : '';
  return `${payload.label}${bar} ${rows}  ${number.format(payload.rate)} rows/s`;
}

const SILENT: RowProgress = { update: () => undefined, stop: () => undefined };

export function rowProgress(options: RowProgressOptions = {}): RowProgress {
  const stream = options.stream ?? process.stderr;
  if (options.json || !stream.isTTY) return SILENT;
  // Loaded on first use, so that commands without a progress bar start without it.
  const { MultiBar } = require('cli-progress') as typeof import('cli-progress');
  const multi = new MultiBar({ stream, format: (_o, params, payload) => line(params, payload), hideCursor: true, clearOnComplete: false, fps: 10 });
  const bars = new Map<string, SingleBar>();
  return {
    update(id, state) {
      const known = state.totalRows !== undefined;
      const payload = { label: state.label, known, rate: state.rowsPerSecond };
      const total = state.totalRows ?? Math.max(state.rows, 1);
      const bar = bars.get(id);
      if (!bar) bars.set(id, multi.create(total, state.rows, payload));
      else {
        bar.setTotal(total);
        bar.update(state.rows, payload);
      }
    },
    stop() {
      multi.stop();
    },
  };
}
