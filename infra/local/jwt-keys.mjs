// The local access-token key pair (ES256, EC P-256), for infra/local/services.sh:
//   node jwt-keys.mjs new         prints a new private key (PKCS#8 PEM)
//   node jwt-keys.mjs jwks FILE   prints the JWKS of FILE's public half, on one line (verifiers derive the kid)
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [command, file] = process.argv.slice(2);
if (command === 'new') {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  process.stdout.write(privateKey.export({ type: 'pkcs8', format: 'pem' }));
} else if (command === 'jwks' && file) {
  const jwk = createPublicKey(readFileSync(file, 'utf8')).export({ format: 'jwk' });
  process.stdout.write(JSON.stringify({ keys: [{ ...jwk, alg: 'ES256', use: 'sig' }] }));
} else {
  process.stderr.write('usage: node jwt-keys.mjs new | jwks FILE\n');
  process.exit(2);
}
