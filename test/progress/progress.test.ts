import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatElapsed } from '../../src/cli/progress/index.js';
import { SPINNER, textWidth } from '../../src/cli/progress/format.js';
import { error, frames, T0, lines, RunBuilder, sink, stripColor, stripControl } from './builder.js';

describe('formatElapsed', () => {
  it('gives at most two parts', () => {
    expect([0, 120, 999, 1000, 1200, 1249, 12_345, 59_960, 185_000, 3_599_999, 7_260_000, 273_600_000].map(formatElapsed)).toEqual([
      '0ms', '120ms', '999ms', '1s', '1.2s', '1.2s', '12.3s', '1m00s', '3m05s', '59m59s', '2h01m', '3d04h',
    ]);
  });
});

describe('plain progress', () => {
  const plain = () => {
    const out = sink();
    return { out, run: new RunBuilder(out.stream, { tty: false, color: false }) };
  };

  it('prints a call that succeeded after a retry, with its attempts and duration', () => {
    const { out, run } = plain();
    run.runStarted();
    run.set('prepare');
    run.call('validate', 'orders.validate', 120);
    run.start('charge', 'call', { activity: 'payments.charge' }).after(200).retry('charge', 1, 'Transient: provider down', 1000).after(1000).done('charge', 2);
    run.runCompleted();
    expect(lines(out.text())).toEqual([
      '✓ validate  orders.validate  120ms',
      '↻ charge  attempt 1 failed: Transient: provider down — retrying in 1s',
      '✓ charge  payments.charge  2 attempts  1.2s',
      '✓ run completed  1.3s',
    ]);
  });

  it('prints skipped steps, but not skipped or completed `set` steps', () => {
    const { out, run } = plain();
    run.runStarted();
    run.skip('notify', 'call');
    run.skip('remember', 'set');
    run.start('route', 'switch').decide('route', { case: 1 }).call('express', 'shipping.express', 40, 'route').set('flag', 'route').done('route');
    run.start('pause', 'sleep').after(2000).done('pause');
    run.runCompleted();
    expect(lines(out.text())).toEqual([
      '- notify  skipped',
      '  ✓ express  shipping.express  40ms',
      '✓ switch route: 2nd case  40ms',
      '✓ pause  sleep  2s',
      '✓ run completed  2s',
    ]);
  });

  it('prints a failure once, the steps it travels through, and the compensations', () => {
    const { out, run } = plain();
    run.runStarted();
    run.call('reserve', 'stock.reserve', 300);
    run.call('charge', 'payments.charge', 800);
    const timeout = error('Timeout: carrier did not answer within 1s', 'ship');
    run.start('guard', 'try');
    run.start('ship', 'call', { activity: 'carriers.book', parent: 'guard' }).after(1000).retry('ship', 1, timeout.type + ': ' + timeout.message, 500).after(1500);
    run.fail('ship', 'Timeout: carrier did not answer within 1s', 2);
    run.decide('guard', { caught: null }).failWith('guard', timeout);
    run.emit({ type: 'compensation.started', key: 'charge' });
    run.call('charge~/refund', 'payments.refund', 250, 'charge');
    run.emit({ type: 'compensation.completed', key: 'charge' });
    run.emit({ type: 'compensation.started', key: 'reserve' });
    run.start('reserve~/release', 'call', { activity: 'stock.release', parent: 'reserve' }).after(100).fail('reserve~/release', 'NotFound: no reservation r-1');
    run.emit({ type: 'compensation.failed', key: 'reserve', error: error('NotFound: no reservation r-1', 'release') });
    run.runFailed(timeout);
    expect(lines(out.text())).toEqual([
      '✓ reserve  stock.reserve  300ms',
      '✓ charge  payments.charge  800ms',
      '  ↻ ship  attempt 1 failed: Timeout: carrier did not answer within 1s — retrying in 500ms',
      '  ✗ ship  carriers.book  2 attempts  2.5s  Timeout: carrier did not answer within 1s',
      '✗ try guard: not caught  2.5s  failed',
      '↶ compensating charge',
      '  ↶ refund  payments.refund  250ms',
      '↶ compensating reserve',
      '  ✗ release  stock.release  100ms  NotFound: no reservation r-1',
      '✗ compensation of reserve failed',
      '✗ run failed  4s',
    ]);
  });

  it('keeps a loop of many iterations to a few lines', () => {
    const { out, run } = plain();
    run.runStarted();
    const iterations = 10_000;
    run.start('reviewLoop', 'while');
    for (let i = 1; i <= iterations; i++) {
      const at = `reviewLoop#${i}/`;
      run.set(`${at}count`, 'reviewLoop');
      run.start(`${at}remind`, 'call', { activity: 'notify.email', parent: 'reviewLoop' });
      if (i === 5000) run.retry(`${at}remind`, 1, 'Transient: smtp busy', 1000).after(1000);
      if (i === 7000) run.log(`${at}remind`, 'warn', 'mailbox almost full');
      run.log(`${at}remind`, 'info', `reminder ${i} sent`);
      run.after(10).done(`${at}remind`, i === 5000 ? 2 : undefined);
      run.start(`${at}check`, 'switch', { parent: 'reviewLoop' }).decide(`${at}check`, { case: null }).done(`${at}check`);
    }
    run.decide('reviewLoop', { iterations }).done('reviewLoop');
    run.runCompleted();
    expect(lines(out.text())).toEqual([
      '    [info] reminder 1 sent',
      '  ✓ reviewLoop#1/remind  notify.email  10ms',
      '  ✓ switch reviewLoop#1/check: no case  0ms',
      '    [info] reminder 2 sent',
      '  ✓ reviewLoop#2/remind  notify.email  10ms',
      '  ✓ switch reviewLoop#2/check: no case  0ms',
      '    [info] reminder 3 sent',
      '  ✓ reviewLoop#3/remind  notify.email  10ms',
      '  ✓ switch reviewLoop#3/check: no case  0ms',
      '  … reviewLoop: after the first 3 iterations, only failures, retries and warnings are shown',
      '  ↻ reviewLoop#5000/remind  attempt 1 failed: Transient: smtp busy — retrying in 1s',
      '    [warn] mailbox almost full',
      '✓ while reviewLoop: 10000 iterations  1m41s',
      '✓ run completed  1m41s',
    ]);
  });

  it('prints activity logs under their step, with data, and foreach items', () => {
    const { out, run } = plain();
    run.runStarted();
    run.start('charge', 'call', { activity: 'payments.charge' }).log('charge', 'info', 'charging 42.00 EUR').log('charge', 'warn', 'slow provider', { ms: 900 }).after(950).done('charge');
    run.start('ship', 'foreach').decide('ship', { items: 2 });
    for (const i of [0, 1]) {
      run.start(`ship[${i}]/book`, 'call', { activity: 'carriers.book', parent: 'ship' }).log(`ship[${i}]/book`, 'debug', `line one\nline two`).after(30).done(`ship[${i}]/book`);
    }
    run.done('ship');
    run.emit({ type: 'signal.received', name: 'approve', payload: { by: 'amara' }, seq: 1 });
    run.emit({ type: 'signal.rejected', name: 'aprove', reason: 'no wait step takes it' });
    run.runCompleted();
    expect(lines(out.text())).toEqual([
      '  [info] charging 42.00 EUR',
      '  [warn] slow provider {"ms":900}',
      '✓ charge  payments.charge  950ms',
      '    [debug] line one ⏎ line two',
      '  ✓ ship[0]/book  carriers.book  30ms',
      '    [debug] line one ⏎ line two',
      '  ✓ ship[1]/book  carriers.book  30ms',
      '✓ foreach ship: 2 items  60ms',
      '→ signal approve received',
      '! signal aprove rejected: no wait step takes it',
      '✓ run completed  1s',
    ]);
  });

  it('colours only when asked', () => {
    const colored = sink();
    const run = new RunBuilder(colored.stream, { tty: false, color: true });
    run.runStarted().call('validate', 'orders.validate', 5).runCompleted();
    expect(colored.text()).toContain('\x1b[32m✓\x1b[39m');
    expect(lines(stripColor(colored.text()))).toEqual(['✓ validate  orders.validate  5ms', '✓ run completed  5ms']);

    const { out, run: bare } = plain();
    bare.runStarted().call('validate', 'orders.validate', 5).runCompleted();
    expect(out.text()).not.toContain('\x1b');
  });
});

describe('live progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const live = (options: { color?: boolean; rows?: number; columns?: number } = {}) => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    const out = sink();
    const run = new RunBuilder(out.stream, { tty: true, color: options.color ?? false, rows: options.rows ?? 24, columns: options.columns ?? 100 });
    return { out, run };
  };

  it('prints a note from the command above the frame, not into it', () => {
    const { out, run } = live();
    run.runStarted();
    run.start('charge', 'call', { activity: 'payments.charge' });
    run.after(80);
    run.view.note('revo: cancelling run run-7f3a');
    run.after(80);
    const frame = frames(out.chunks).at(-1)!;
    expect(frame[0]).toBe('revo: cancelling run run-7f3a');
    expect(frame[1]).toMatch(/checkout {2}run-7f3a {2}running/);
  });

  it('redraws in place at most every 80ms, with a spinner on the running step', () => {
    const { out, run } = live();
    run.runStarted();
    run.call('validate', 'orders.validate', 20);
    run.start('charge', 'call', { activity: 'payments.charge' });
    expect(out.chunks).toHaveLength(0); // the first frame waits for the first redraw
    run.after(60); // 80ms since the first event
    expect(out.chunks).toHaveLength(1);
    let frame = frames(out.chunks)[0]!;
    expect(frame).toEqual([
      expect.stringMatching(/^. checkout {2}run-7f3a {2}running {2}80ms$/),
      '✓ validate  orders.validate  20ms',
      expect.stringMatching(/^. charge {2}payments\.charge {2}60ms$/),
    ]);
    const spinner = frame[2]![0]!;
    expect(SPINNER).toContain(spinner);
    expect(frame[0]![0]).toBe(spinner);

    // Events between redraws write nothing by themselves.
    for (let i = 0; i < 20; i++) run.log('charge', 'debug', `poll ${i}`);
    expect(out.chunks).toHaveLength(1);

    run.after(1500);
    expect(out.chunks.length).toBeLessThanOrEqual(1 + Math.floor(1500 / 80));
    for (const chunk of out.chunks.slice(1)) expect(chunk.startsWith('\r\x1b[3A\x1b[2K')).toBe(true); // back over the 3-line frame, clearing
    frame = frames(out.chunks).at(-1)!;
    expect(frame.at(-1)).toMatch(/^. charge {2}payments\.charge {2}1\.5s$/);
    expect(frame.at(-1)![0]).not.toBe(spinner); // the spinner turned
    expect(frames(out.chunks)[1]!.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `[debug] charge: poll ${i}`)); // logs go above the frame
  });

  it('shows the attempt and the retry being waited for', () => {
    const { out, run } = live();
    run.runStarted().start('charge', 'call', { activity: 'payments.charge' }).after(240).retry('charge', 1, 'Transient: provider down', 1000).after(400);
    const frame = frames(out.chunks).at(-1)!;
    expect(frame[1]).toMatch(/^. charge {2}payments\.charge {2}attempt 2 {2}640ms {2}↻ retry in 600ms after Transient: provider down$/);
  });

  it('collapses finished loop iterations, and ends with every top-level step', () => {
    const { out, run } = live({ rows: 12 });
    run.runStarted();
    run.call('validate', 'orders.validate', 10);
    run.skip('notify', 'call');
    run.start('reviewLoop', 'while');
    for (let i = 1; i <= 4; i++) {
      run.set(`reviewLoop#${i}/count`, 'reviewLoop');
      run.call(`reviewLoop#${i}/remind`, 'notify.email', 100, 'reviewLoop');
    }
    run.start('reviewLoop#5/remind', 'call', { activity: 'notify.email', parent: 'reviewLoop' }).after(80);
    let frame = frames(out.chunks).at(-1)!;
    expect(frame.slice(1)).toEqual([
      '✓ validate  orders.validate  10ms',
      '- notify  call  skipped',
      expect.stringMatching(/^. reviewLoop {2}while #5 {2}470ms$/), // as of the last redraw, 480ms after the run started
      '  ✓ reviewLoop ×4 iterations',
      expect.stringMatching(/^ {2}. #5\/remind {2}notify\.email {2}70ms$/),
    ]);
    run.done('reviewLoop#5/remind').decide('reviewLoop', { iterations: 5 }).done('reviewLoop');
    run.start('charge', 'call', { activity: 'payments.charge' }).after(300).fail('charge', 'Declined: card expired');
    run.emit({ type: 'run.failed', error: error('Declined: card expired', 'charge') });
    run.view.close();
    const last = out.chunks.at(-1)!;
    expect(last.startsWith('\r\x1b[')).toBe(true);
    frame = frames(out.chunks).at(-1)!;
    expect(frame).toEqual([
      '✗ checkout  run-7f3a  failed  790ms',
      '✓ validate  orders.validate  10ms',
      '- notify  call  skipped',
      '✓ reviewLoop  while ×5 iterations  480ms',
      '✗ charge  payments.charge  300ms  Declined: card expired',
    ]);
    // Closed: the timer is gone and nothing more is written.
    const count = out.chunks.length;
    run.after(1000).call('late', 'x.y', 1);
    expect(out.chunks).toHaveLength(count);
  });

  it('keeps frames within the given rows and columns, the final frame listing all top-level steps', () => {
    const { out, run } = live({ rows: 10, columns: 40, color: true });
    run.runStarted('a-workflow-with-a-rather-long-name');
    for (let i = 0; i < 30; i++) {
      run.start(`step${i}`, 'call', { activity: 'some.activity-with-a-long-name' }).log(`step${i}`, 'info', `step ${i} says hi`);
      run.after(100).done(`step${i}`);
    }
    run.start('group', 'parallel');
    run.start('left', 'branch', { parent: 'group' }).start('wait', 'wait', { parent: 'left' });
    run.start('right', 'branch', { parent: 'group' }).start('tick', 'sleep', { parent: 'right' }).after(200);
    for (const chunk of out.chunks) {
      const screen = frames([chunk])[0]!.filter((l) => !l.includes('says hi'));
      expect(screen.length).toBeLessThanOrEqual(8);
      for (const line of screen) expect(textWidth(stripColor(line))).toBeLessThanOrEqual(40);
      expect(stripColor(stripControl(chunk))).not.toMatch(/\x1b/);
    }
    const frame = frames(out.chunks).at(-1)!.map(stripColor);
    expect(frame.filter((l) => /wait|tick|left|right|group/.test(l))).toHaveLength(5); // running steps are kept
    expect(frame.some((l) => /^… \d+ more$/.test(l))).toBe(true);
    // Logs stay above the frame, whole.
    expect(stripColor(out.text())).toContain('[info] step29: step 29 says hi');

    run.done('wait').done('left').done('tick').done('right').done('group').runCompleted();
    run.view.close();
    const final = frames([out.chunks.at(-1)!])[0]!.map(stripColor);
    expect(final).toHaveLength(1 + 31);
    for (let i = 0; i < 30; i++) expect(final[i + 1]).toMatch(new RegExp(`^✓ step${i} `));
    expect(final[31]).toMatch(/^✓ group {2}parallel/);
    for (const line of final) expect(textWidth(line)).toBeLessThanOrEqual(40);
  });

  it('writes no colour codes without colour, only cursor movement', () => {
    const { out, run } = live({ color: false });
    run.runStarted().start('charge', 'call', { activity: 'payments.charge' }).after(200).done('charge').runCompleted();
    run.view.close();
    const codes = out.text().match(/\x1b\[[0-9;?]*[A-Za-z]/g) ?? [];
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(code).toMatch(/^\x1b\[(\d+A|2K|J)$/);
  });
});
