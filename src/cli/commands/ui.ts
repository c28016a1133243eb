import { spawn } from 'node:child_process';
import { Command, InvalidArgumentError } from 'commander';
import type { TemporalFlags } from '../../temporal/connection.js';
import { addTemporalOptions } from '../temporal-options.js';
import { DEFAULT_UI_PORT } from '../../ui/protocol.js';
import { EXIT_CODES } from '../exit-codes.js';
import { repeatable } from '../repeatable.js';

interface UiFlags extends TemporalFlags {
  port: number;
  host: string;
  open?: boolean;
  activities?: string[];
}

export function uiCommand(): Command {
  const command = new Command('ui')
    .description('The execution history view: a local web app to find runs on every engine, watch them live, replay, re-run (from a step), signal and cancel them.')
    .option('-p, --port <port>', `port to serve on (0: a free one)`, port, DEFAULT_UI_PORT)
    .option('--host <address>', 'address to listen on; anything but 127.0.0.1 lets other machines see every run', '127.0.0.1')
    .option('--open', 'open the page in the default browser')
    .option('--activities <module>', 'activity modules for the runs it starts (repeatable; default: each run\'s own)', repeatable)
    .addHelpText(
      'after',
      `
Prints the page's address and serves until Ctrl-C. The page and its script come from the
Revo package: nothing is loaded from the network. Runs started from the page (re-runs)
run in this process; when it stops they stay resumable with \`revo resume <runId>\`.
Every change (replay, re-run, signal, cancel) needs the token of this session, which
only the page it serves has. See docs/ui.md.

Exit codes: ${EXIT_CODES.ok} stopped with Ctrl-C; ${EXIT_CODES.usage} the port is taken or the address cannot be used.

Examples:
  revo ui
  revo ui --port 0 --open
  revo ui --address temporal.internal:7233`,
    )
    .action(async (flags: UiFlags) => {
      const [{ cliRevo, terminal }, { startUi }] = await Promise.all([import('../cli-revo.js'), import('../../ui/server.js')]);
      const revo = cliRevo(flags, terminal());
      const ui = await startUi(revo, { port: flags.port, host: flags.host }).catch(async (error: unknown) => {
        await revo.close();
        throw error;
      });
      process.stdout.write(`revo ui: ${ui.url}  (Ctrl-C to stop)\n`);
      if (flags.open) openBrowser(ui.url);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await ui.close();
      await revo.close();
    });
  return addTemporalOptions(command);
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return n;
}

/** The system's own opener; a machine without one just does not open a browser. */
function openBrowser(url: string): void {
  const [command, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  const child = spawn(command!, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`revo: could not open a browser (${command} is not available); open ${url} yourself\n`));
  child.unref();
}
