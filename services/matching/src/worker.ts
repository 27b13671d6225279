import { runService } from '@relationship/service-kit';
import { loadWorkerConfig } from './app/config';
import { createWorkerApp } from './app/matching-app';

// The same image as the API, started with `node worker.js`: pulls rebalance and training jobs; scale it freely.
runService('matching-worker', async () => {
  const config = loadWorkerConfig();
  const app = await createWorkerApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
});
