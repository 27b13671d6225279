import { runService } from '@relationship/service-kit';
import { createAnalyticsApp, startFeed } from './app/analytics-app';
import { loadAnalyticsConfig } from './app/config';

runService('analytics', async () => {
  const config = loadAnalyticsConfig();
  const app = await createAnalyticsApp(config);
  // SIGTERM/SIGINT close the app (enableShutdownHooks): the feed, Kafka and the pool shut down in turn.
  await startFeed(app);
  await app.listen({ port: config.PORT, host: config.HOST });
});
