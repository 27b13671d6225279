import { runService } from '@relationship/service-kit';
import { loadManagersConfig } from './app/config';
import { createManagersApp } from './app/managers-app';

runService('managers', async () => {
  const config = loadManagersConfig();
  const app = await createManagersApp(config);
  // SIGTERM/SIGINT close the app (enableShutdownHooks): consumer, relay, Kafka and the pool shut down in turn.
  await app.startAllMicroservices();
  await app.listen({ port: config.PORT, host: config.HOST });
});
