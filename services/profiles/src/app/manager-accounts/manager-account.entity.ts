import { defineEntity, p } from '@mikro-orm/core';

/**
 * The managers registry's account link, kept from managers.manager.v1: which identity user (the token's id) is which
 * registry manager (the id matching assigns customers to). Null until the manager's account is linked.
 */
export const ManagerAccountSchema = defineEntity({
  name: 'ManagerAccount',
  tableName: 'manager_account',
  properties: {
    managerId: p.string().length(36).primary(),
    userId: p.string().length(36).nullable().unique('manager_account_user_id_unique'),
    managerVersion: p.integer(),
  },
});
export class ManagerAccount extends ManagerAccountSchema.class {}
ManagerAccountSchema.setClass(ManagerAccount);
