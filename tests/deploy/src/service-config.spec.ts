import { builtFiles, loadAllServiceConfigs, loadServiceConfigs, MAIN_ENTRY, processName, webpackEntryPoints } from './support/service-config';
import { serviceNames } from './support/repo';

describe('services and their processes (webpack entry points)', () => {
  it('finds every entry point webpack builds, one process each, deployed as <service> or <service>-<entry>', async () => {
    const configs = await loadAllServiceConfigs();
    for (const service of serviceNames()) {
      const entries = webpackEntryPoints(service);
      expect(entries[0]).toBe(MAIN_ENTRY);
      expect(entries.map((e) => configs.get(processName(service, e))?.file)).toEqual(builtFiles(service));
    }
  });

  it("gives matching's worker.js its own schema and port", async () => {
    expect(webpackEntryPoints('matching')).toEqual(['main', 'worker']);
    const [api, worker] = await loadServiceConfigs('matching');
    expect([api.name, api.exportName, api.defaultPort, api.keys.has('JWT_PUBLIC_KEYS')]).toEqual(['matching', 'matchingConfigSchema', 3004, true]);
    expect([worker.name, worker.exportName, worker.defaultPort, worker.keys.has('JWT_PUBLIC_KEYS'), worker.keys.has('WORKER_CONCURRENCY')]).toEqual([
      'matching-worker',
      'workerConfigSchema',
      3014,
      false,
      true,
    ]);
  });

  it('refuses an entry point without a schema of its own, and two schemas for a single entry point', async () => {
    await expect(loadServiceConfigs('matching', ['main', 'worker', 'indexer'])).rejects.toThrow(/builds the entry point "indexer"/);
    await expect(loadServiceConfigs('matching', ['main'])).rejects.toThrow(/must export exactly one zod object schema .* found 2: matchingConfigSchema, workerConfigSchema/);
  });
});
