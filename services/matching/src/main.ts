import { runService } from '@relationship/service-kit';
import { loadMatchingConfig } from './app/config';
import { createMatchingApp } from './app/matching-app';

runService('matching', async () => {
  const config = loadMatchingConfig();
  const app = await createMatchingApp(config);
  // SIGTERM/SIGINT close the app (enableShutdownHooks): consumer, relay, queue, Kafka and the pool shut down in turn.
  await app.startAllMicroservices();
  await app.listen({ port: config.PORT, host: config.HOST });
});
