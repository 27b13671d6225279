import { Logger } from '@nestjs/common';
import { ConfigurationError } from '@relationship/service-kit';
import { createGatewayApp } from './app/create-gateway-app';
import { loadGatewayConfig } from './app/config';

async function bootstrap(): Promise<void> {
  const config = loadGatewayConfig();
  const app = await createGatewayApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  Logger.log(
    `gateway listening on http://${config.HOST}:${config.PORT}`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    console.error(error.message);
  } else {
    console.error('gateway failed to start', error);
  }
  process.exit(1);
});
