import { runService } from '@relationship/service-kit';
import { loadProfilesConfig } from './app/config';
import { createProfilesApp } from './app/profiles-app';

runService('profiles', async () => {
  const config = loadProfilesConfig();
  const app = await createProfilesApp(config);
  await app.startAllMicroservices();
  await app.listen({ port: config.PORT, host: config.HOST });
});
