import { defineEntity, p } from '@mikro-orm/core';
import type { Condition } from '../domain/conditions';

export const RULE_KINDS = ['tag', 'need'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** An admin-defined rule: when `condition` holds for a portrait, it gets the tag or need `value`. */
export const PortraitRuleSchema = defineEntity({
  name: 'PortraitRule',
  tableName: 'portrait_rule',
  properties: {
    id: p.string().length(36).primary(),
    name: p.string().length(100).unique('portrait_rule_name_unique'),
    kind: p.enum(RULE_KINDS),
    value: p.string().length(64),
    condition: p.json<Condition>(),
    enabled: p.boolean().default(true),
    version: p.integer(),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
    createdBy: p.string().length(36).nullable(),
    updatedBy: p.string().length(36).nullable(),
  },
});
export class PortraitRule extends PortraitRuleSchema.class {}
PortraitRuleSchema.setClass(PortraitRule);
