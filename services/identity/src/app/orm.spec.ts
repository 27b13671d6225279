import { defineEntity, p } from '@mikro-orm/core';
describe('esm', () => { it('loads', () => { expect(typeof defineEntity).toBe('function'); expect(p).toBeDefined(); }); });
