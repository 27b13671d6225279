import { auditEntities } from '@relationship/audit';
import { messagingEntities } from '@relationship/messaging';
import { ImportJobSchema } from '../import-export/import-job.entity';
import { ManagerAccountSchema } from '../manager-accounts/manager-account.entity';
import { CustomerPortraitSchema } from '../portraits/customer-portrait.entity';
import { CustomerNameGramSchema, CustomerNeedSchema, CustomerTagSchema } from '../portraits/portrait-values.entity';
import { BranchSchema, TagDefinitionSchema } from '../reference/reference.entities';
import { PortraitRuleSchema } from '../rules/portrait-rule.entity';

/** Every entity profiles maps, including the outbox and audit tables of the shared libraries. */
export const profilesEntities = [
  CustomerPortraitSchema,
  CustomerTagSchema,
  CustomerNeedSchema,
  CustomerNameGramSchema,
  PortraitRuleSchema,
  BranchSchema,
  TagDefinitionSchema,
  ImportJobSchema,
  ManagerAccountSchema,
  ...auditEntities,
  ...messagingEntities,
];
