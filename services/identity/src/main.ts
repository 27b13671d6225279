import { loadConfig, runService } from '@relationship/service-kit';
import { identityConfigSchema } from './app/config';
import { createIdentityApp } from './app/create-identity-app';

runService('identity', async () => {
  const config = loadConfig(identityConfigSchema);
  const app = await createIdentityApp(config);
  // SIGTERM/SIGINT close the app (enableShutdownHooks): the relay drains, Kafka and the pool disconnect.
  await app.listen({ port: config.PORT, host: config.HOST });
});
