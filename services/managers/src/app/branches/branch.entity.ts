import { defineEntity, p } from '@mikro-orm/core';

/** Reference data: the bank's branches (BRANCH_CATALOG in libs/contracts), seeded by the migration; a manager belongs to exactly one. */
export const BranchSchema = defineEntity({
  name: 'Branch',
  tableName: 'branch',
  properties: {
    /** Stable code such as `SH-PD-001` (city - district - number); `HQ` is head office. */
    id: p.string().length(16).primary(),
    name: p.string().length(100),
    city: p.string().length(64),
    /** Region code (east, north, south, central, southwest, northwest, northeast). */
    region: p.string().length(32),
  },
});
export class Branch extends BranchSchema.class {}
BranchSchema.setClass(Branch);
