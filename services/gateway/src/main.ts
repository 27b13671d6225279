import { runService } from '@relationship/service-kit';
import { loadGatewayConfig } from './app/config';
import { createGatewayApp } from './app/create-gateway-app';

runService('gateway', async () => {
  const config = loadGatewayConfig();
  const app = await createGatewayApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
});
