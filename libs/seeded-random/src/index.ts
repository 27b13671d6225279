export { fnv1a32, hashString, mix32, seededRandom } from './lib/seeded-random';
