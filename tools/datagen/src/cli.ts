/**
 * Writes a deterministic data set as import-ready CSV files.
 *   npm run generate -- --customers 100000 --managers 1000 --seed 42 --out .local/bench-data
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { customersCsv, managersCsv } from './csv.ts';
import { generateCustomers } from './customers.ts';
import { generateManagers } from './managers.ts';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000' },
    managers: { type: 'string', default: '50' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: '.local/bench-data' },
  },
});

function count(name: string, raw: string | undefined, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    console.error(`--${name} must be a whole number from 0 to ${max} (got ${raw})`);
    process.exit(2);
  }
  return n;
}

const customers = count('customers', values.customers, 5_000_000);
const managers = count('managers', values.managers, 100_000);
const seed = count('seed', values.seed, 1_000_000);
const out = resolve(values.out ?? '.local/bench-data');
mkdirSync(out, { recursive: true });

const started = Date.now();
const customerFile = join(out, `customers-${customers}-seed${seed}.csv`);
const managerFile = join(out, `managers-${managers}-seed${seed}.csv`);
writeFileSync(customerFile, customersCsv(generateCustomers(customers, seed)));
writeFileSync(managerFile, managersCsv(generateManagers(managers, seed)));
console.log(JSON.stringify({ customers, managers, seed, customerFile, managerFile, ms: Date.now() - started }));
