import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { dateProblem, fieldProblem, normaliseField, type FieldRule } from '@relationship/domain-rules';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';

/** The static property of a DTO class that lists its required fields (see `RequiredFields`). */
const REQUIRED = Symbol('requiredFields');
/** The OpenAPI options each rule-decorated property got, so `RequiredFields` can mark them required. */
const API_OPTIONS = Symbol('ruleApiOptions');

type DtoClass = { [REQUIRED]?: readonly string[]; prototype: object };

function requiredFieldsOf(object: object): readonly string[] {
  return (object.constructor as DtoClass)[REQUIRED] ?? [];
}

/** "<field> <phrase>": the message of a rule-specific phrase, naming the field (and its parent, when nested). */
const named = (phrase: string) => (args: ValidationArguments) => `${args.property} ${phrase}`;

/** The rule's own check, for kinds class-validator has no built-in for (a calendar date, a check digit). */
function SatisfiesRule(rule: FieldRule): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'satisfiesRule',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => (rule.kind === 'date' && typeof value === 'string' ? dateProblem(rule, value) : fieldProblem(rule, value)) === null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} ${fieldProblem(rule, args?.value) ?? 'is not valid'}`,
      },
    });
}

/** class-validator's built-ins where one fits, so the 400 messages read as they always have. */
function constraintsOf(rule: FieldRule): PropertyDecorator[] {
  const message = rule.message ? { message: named(rule.message) } : {};
  switch (rule.kind) {
    case 'text':
      return [
        IsString(),
        ...(rule.minLength !== undefined ? [MinLength(rule.minLength)] : []),
        MaxLength(rule.maxLength),
        ...(rule.pattern ? [Matches(rule.pattern, message)] : []),
      ];
    case 'oneOf':
      return [IsIn(rule.values, message)];
    case 'list': {
      const each = { each: true };
      const itemMessage = rule.itemMessage ? { message: (args: ValidationArguments) => `each value in ${args.property} must be ${rule.itemMessage}` } : {};
      return [
        IsArray(),
        ...(rule.minItems !== undefined ? [ArrayMinSize(rule.minItems)] : []),
        ArrayMaxSize(rule.maxItems),
        ArrayUnique(),
        ...(rule.values ? [IsIn(rule.values, each)] : [IsString(each)]),
        ...(rule.itemMaxLength !== undefined ? [MaxLength(rule.itemMaxLength, each)] : []),
        ...(rule.itemPattern ? [Matches(rule.itemPattern, { ...each, ...itemMessage })] : []),
      ];
    }
    case 'number': {
      const phrase = (p: string | undefined) => (p ? { message: named(p) } : {});
      return [
        rule.integer ? IsInt(phrase(rule.messages?.type)) : IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: rule.decimals }, phrase(rule.messages?.type)),
        Min(rule.min, phrase(rule.messages?.min)),
        Max(rule.max, phrase(rule.messages?.max)),
      ];
    }
    case 'uuid':
      return [IsUUID()];
    case 'boolean':
      return [IsBoolean()];
    case 'date':
    case 'checked':
      return [SatisfiesRule(rule)];
  }
}

/** The OpenAPI schema a rule implies; `api` adds examples and descriptions. */
function apiOptionsOf(rule: FieldRule): ApiPropertyOptions {
  const nullable = rule.nullable ? { nullable: true } : {};
  switch (rule.kind) {
    case 'text':
      return { type: String, minLength: rule.minLength, maxLength: rule.maxLength, pattern: rule.pattern?.source, ...nullable };
    case 'oneOf':
      return { enum: [...rule.values], ...nullable };
    case 'list':
      return rule.values
        ? { enum: [...rule.values], isArray: true, minItems: rule.minItems, maxItems: rule.maxItems }
        : { type: [String], minItems: rule.minItems, maxItems: rule.maxItems };
    case 'number':
      return { type: rule.integer ? 'integer' : Number, minimum: rule.min, maximum: rule.max, ...nullable };
    case 'date':
      return { type: String, format: 'date', ...nullable };
    case 'uuid':
      return { type: String, format: 'uuid', ...nullable };
    case 'boolean':
      return { type: Boolean };
    case 'checked':
      return rule.type === 'string' ? { type: String, maxLength: rule.maxLength, ...nullable } : { type: [String], ...nullable };
  }
}

/**
 * A DTO property validated, normalised and documented by its field rule from libs/domain-rules:
 * - absent (undefined) is left alone unless the class lists the field in `RequiredFields` (so one field set serves
 *   PATCH and POST); null is a value only for a nullable rule ("clear it"), otherwise refused;
 * - the value is normalised as the rule says (trimmed, lowercased, a phone number compacted) before the checks;
 * - each message names the field, as the HTTP error format wants.
 */
export function FollowsRule(rule: FieldRule, api: ApiPropertyOptions = {}): PropertyDecorator {
  const options = { ...apiOptionsOf(rule), ...api } as ApiPropertyOptions;
  const remember: PropertyDecorator = (target, property) => {
    const ctor = target.constructor as unknown as Record<symbol, Map<string | symbol, ApiPropertyOptions>>;
    if (!Object.prototype.hasOwnProperty.call(ctor, API_OPTIONS)) ctor[API_OPTIONS] = new Map(ctor[API_OPTIONS] ?? []);
    ctor[API_OPTIONS].set(property, options);
  };
  return (target, property) => {
    const name = String(property);
    applyDecorators(
      remember,
      ApiProperty({ ...options, required: false } as ApiPropertyOptions),
      Transform(({ value }) => normaliseField(rule, value)),
      ValidateIf((object: object, value: unknown) => requiredFieldsOf(object).includes(name) || (value !== undefined && !(rule.nullable && value === null))),
      IsDefined(),
      ...constraintsOf(rule),
    )(target, property);
  };
}

/**
 * Marks fields of a DTO class (declared with `FollowsRule`, here or in a base class) as required: validation refuses
 * them absent or null, and OpenAPI lists them as required. E.g. a create DTO extending the PATCH field set.
 */
export function RequiredFields(fields: readonly string[]): ClassDecorator {
  return (target) => {
    const dto = target as unknown as DtoClass & Record<symbol, Map<string, ApiPropertyOptions>>;
    dto[REQUIRED] = fields;
    for (const field of fields) {
      const options = dto[API_OPTIONS]?.get(field);
      if (!options) throw new Error(`${target.name}.${field} is required but has no field rule`);
      ApiProperty({ ...options, required: true } as ApiPropertyOptions)(dto.prototype, field);
    }
  };
}
