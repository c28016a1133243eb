/**
 * The worker for the orders service on Temporal: the one Revo workflow plus the
 * service's activities, on its task queue. Run as many as you need, on any machine.
 */
import { createWorker } from 'revo';
import { price } from './activities.js';

const worker = await createWorker({
  activities: [price],
  temporal: { address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233', taskQueue: process.env.REVO_TASK_QUEUE ?? 'orders' },
});
console.log(`worker on task queue ${worker.taskQueue} at ${worker.address}: ${worker.activities.join(', ')}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
await worker.run();
