import { ForbiddenException } from '@nestjs/common';
import { strictValidationPipe } from '@relationship/service-kit';
import type { Consent, PortraitChanges } from '../domain/portrait';
import { CUSTOMER_EDITABLE_FIELDS, PORTRAIT_FIELDS } from '../domain/portrait';
import { CustomerUpdateDto, type CustomerEditableFieldsDto, type PortraitFieldsDto } from './dto/portrait-input.dto';

/** Portrait fields a customer can see but not change, plus the staff-only write names. */
const NOT_FOR_CUSTOMERS = new Set<string>([
  ...PORTRAIT_FIELDS.filter((f) => !(CUSTOMER_EDITABLE_FIELDS as readonly string[]).includes(f)),
  'needs',
  'tags',
  'version',
  'id',
  'userId',
  'origin',
  'ageBand',
  'riskAssessedAt',
  'assignedManagerId',
  'createdAt',
  'updatedAt',
]);

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** A validated DTO as the changes the domain applies (absent fields stay untouched). */
export function changesFromDto(dto: PortraitFieldsDto | CustomerEditableFieldsDto): PortraitChanges {
  const { consent, needs, tags, ...fields } = dto as PortraitFieldsDto;
  return defined({
    ...fields,
    staffNeeds: needs,
    manualTags: tags,
    consent: consent ? (defined({ ...consent }) as Partial<Consent>) : undefined,
  }) as PortraitChanges;
}

/**
 * PATCH /profiles/me: a known portrait field the customer may not change is a 403 naming it; anything unknown or
 * invalid is a 400 from the strict validation; what remains is the customer's own editable fields.
 */
export async function customerChangesFrom(body: unknown): Promise<PortraitChanges> {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const forbidden = Object.keys(body).filter((k) => NOT_FOR_CUSTOMERS.has(k));
    if (forbidden.length) {
      throw new ForbiddenException(
        `${forbidden.join(', ')} may not be changed by a customer (editable: ${CUSTOMER_EDITABLE_FIELDS.join(', ')})`,
      );
    }
  }
  const dto = (await strictValidationPipe().transform(body ?? {}, { type: 'body', metatype: CustomerUpdateDto })) as CustomerUpdateDto;
  return changesFromDto(dto);
}
