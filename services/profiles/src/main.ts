import { loadProfilesConfig } from './app/config';
import { createProfilesApp } from './app/profiles-app';

async function main(): Promise<void> {
  const config = loadProfilesConfig();
  const app = await createProfilesApp(config);
  await app.startAllMicroservices();
  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((error) => {
  // The logger may not exist yet (e.g. invalid configuration), so write one JSON line ourselves.
  process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'profiles', msg: String(error?.message ?? error) })}\n`);
  process.exit(1);
});
