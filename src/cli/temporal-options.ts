/** The connection flags every command that talks to Temporal takes (the documented env variables are the defaults). */
import { Option, type Command } from 'commander';

/** `waitsOutRestarts`: the command's calls go through the API's retry (all but `worker` and `deploy`). */
export function addTemporalOptions(command: Command, { waitsOutRestarts = true } = {}): Command {
  command
    .addOption(new Option('--address <host:port>', 'Temporal frontend (env TEMPORAL_ADDRESS, default localhost:7233)'))
    .addOption(new Option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE, default default)'))
    .addOption(new Option('--task-queue <name>', 'task queue of the Revo workers (env REVO_TASK_QUEUE, default revo)'))
    .addOption(new Option('--tls', 'connect with TLS using the system CAs (env TEMPORAL_TLS=true)'))
    .addOption(new Option('--tls-cert <file>', 'client certificate for mTLS (env TEMPORAL_TLS_CERT)'))
    .addOption(new Option('--tls-key <file>', 'client private key for mTLS (env TEMPORAL_TLS_KEY)'))
    .addOption(new Option('--tls-ca <file>', 'CA certificate of the server (env TEMPORAL_TLS_CA)'))
    .addOption(new Option('--tls-server-name <name>', 'server name to verify (env TEMPORAL_TLS_SERVER_NAME)'))
    .addOption(new Option('--api-key <key>', 'API key, e.g. for Temporal Cloud (env TEMPORAL_API_KEY); implies TLS'));
  if (!waitsOutRestarts) return command;
  return command.addHelpText(
    'after',
    `
A Temporal server that goes away mid-command is waited for, with a status line, for up
to REVO_TEMPORAL_RETRY (a duration, default 5m); then exit 2, the run safe on Temporal
(docs/reliability.md#temporal-server-restarts).`,
  );
}
