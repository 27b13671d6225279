import { defineEntity, p } from '@mikro-orm/core';

/** A bank branch a customer can call home: BRANCH_CATALOG from libs/contracts, seeded by migration. */
export const BranchSchema = defineEntity({
  name: 'Branch',
  tableName: 'branch',
  properties: {
    id: p.string().length(64).primary(),
    name: p.string().length(100),
    city: p.string().length(64),
    region: p.string().length(64),
    createdAt: p.datetime(3),
  },
});
export class Branch extends BranchSchema.class {}
BranchSchema.setClass(Branch);

/** The tag catalogue: manual tags and rule values must be one of these codes. */
export const TagDefinitionSchema = defineEntity({
  name: 'TagDefinition',
  tableName: 'tag_definition',
  properties: {
    code: p.string().length(64).primary(),
    labelZh: p.string().length(64),
    labelEn: p.string().length(64),
    description: p.string().length(255).nullable(),
    /** This tag's bit in customer_portrait.tag_mask (0–63, given in creation order); null past the 64th tag. */
    maskBit: p.tinyint().unsigned().nullable().unique('tag_definition_mask_bit_unique'),
    createdAt: p.datetime(3),
  },
});
export class TagDefinition extends TagDefinitionSchema.class {}
TagDefinitionSchema.setClass(TagDefinition);
