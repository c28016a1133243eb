/**
 * bench/scale.ts's hand-written worker process: the hand-written workflows (their own
 * bundle, as a developer would deploy them) and the bench activity, on one task queue,
 * set up as Revo's worker is (src/temporal/worker.ts). Prints `ready` on stderr once
 * polling; SIGTERM stops it.
 * Usage: node dist/bench/scale-handwritten-worker.js <address> <taskQueue> <workflowCodePath>
 */
import { Worker } from '@temporalio/worker';
import { temporalActivities } from '../src/temporal/activities.js';
import { connectWorker, temporalSettings } from '../src/temporal/connection.js';
import { benchStep } from './bench-activities.js';

const [address, taskQueue, codePath] = process.argv.slice(2);
if (!address || !taskQueue || !codePath) throw new Error('usage: scale-handwritten-worker.js <address> <taskQueue> <workflowCodePath>');
const connection = await connectWorker(temporalSettings({ address }, {}));
const worker = await Worker.create({
  connection,
  namespace: 'default',
  taskQueue,
  workflowBundle: { codePath },
  activities: temporalActivities([benchStep]),
  defaultHeartbeatThrottleInterval: '1s',
});
process.on('SIGTERM', () => worker.shutdown());
process.stderr.write('ready\n');
await worker.run();
await connection.close();
