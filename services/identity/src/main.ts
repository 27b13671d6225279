import { Logger } from '@nestjs/common';
import { ConfigurationError, loadConfig } from '@relationship/service-kit';
import { identityConfigSchema } from './app/config';
import { createIdentityApp } from './app/create-identity-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig(identityConfigSchema);
  const app = await createIdentityApp(config);
  // SIGTERM/SIGINT close the app (enableShutdownHooks): the relay drains, Kafka and the pool disconnect.
  await app.listen(config.PORT, config.HOST);
  Logger.log(`identity listening on http://${config.HOST}:${config.PORT} (docs at /api/docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // Configuration problems are the operator's to fix: say what is wrong, without a stack trace.
  if (error instanceof ConfigurationError) console.error(error.message);
  else console.error('identity failed to start', error);
  process.exit(1);
});
