import { BadRequestException } from '@nestjs/common';
import { dateRule, fieldProblem, listRule, numberRule, oneOfRule, textRule } from '@relationship/domain-rules';
import { FollowsRule, RequiredFields } from './rule-validation';
import { strictValidationPipe } from './validation';

const NAME = textRule({ minLength: 1, maxLength: 5, normalise: 'trim' });
const EMAIL = textRule({ maxLength: 20, pattern: /^[^@\s]+@[^@\s]+$/, normalise: 'trim-lowercase', nullable: true, message: 'must be an email address' });
const LEVEL = numberRule({ min: 1, max: 10, integer: true });
const COLOURS = listRule({ values: ['red', 'blue'], minItems: 1, maxItems: 2 });
const DAY = dateRule({ min: '2000-01-01', max: 'today', message: 'must be a past date' });

class FieldsDto {
  @FollowsRule(NAME) name?: string;
  @FollowsRule(EMAIL) email?: string | null;
  @FollowsRule(LEVEL) level?: number;
  @FollowsRule(COLOURS) colours?: string[];
  @FollowsRule(oneOfRule(['a', 'b'] as const)) kind?: 'a' | 'b';
  @FollowsRule(DAY) day?: string;
}

@RequiredFields(['name', 'level'])
class CreateDto extends FieldsDto {}

async function validate(metatype: new () => object, value: Record<string, unknown>): Promise<object> {
  return strictValidationPipe().transform(value, { type: 'body', metatype });
}
async function messageOf(metatype: new () => object, value: Record<string, unknown>): Promise<string> {
  try {
    await validate(metatype, value);
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { message: string }).message;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('FollowsRule / RequiredFields', () => {
  it('normalises as the rule says and accepts what the rule accepts', async () => {
    expect(await validate(CreateDto, { name: ' 王芳 ', email: ' A@B.CN ', level: 3, colours: ['red'], kind: 'a', day: '2001-02-03' })).toEqual(
      Object.assign(new CreateDto(), { name: '王芳', email: 'a@b.cn', level: 3, colours: ['red'], kind: 'a', day: '2001-02-03' }),
    );
  });

  it('requires the listed fields on the subclass only; null clears a nullable field and is refused otherwise', async () => {
    expect(await messageOf(CreateDto, { email: null })).toMatch(/name should not be null or undefined.*level should not be null or undefined/);
    await expect(validate(FieldsDto, { email: null })).resolves.toBeInstanceOf(FieldsDto);
    expect(await messageOf(FieldsDto, { level: null })).toMatch(/^level should not be null or undefined;/);
  });

  it.each([
    [{ name: '123456' }, /name must be shorter than or equal to 5 characters/],
    [{ email: 'nope' }, /^email must be an email address$/],
    [{ level: 11 }, /level must not be greater than 10/],
    [{ level: 1.5 }, /level must be an integer number/],
    [{ colours: [] }, /colours must contain at least 1 elements/],
    [{ colours: ['red', 'red'] }, /colours's elements must be unique/],
    [{ colours: ['green'] }, /each value in colours must be one of the following values: red, blue/],
    [{ kind: 'c' }, /kind must be one of the following values: a, b/],
    [{ day: '2001-02-30' }, /^day must be a past date$/],
  ])('refuses %j with a 400 naming the field', async (value, message) => {
    expect(await messageOf(FieldsDto, value)).toMatch(message);
  });

  it('agrees with the rule’s own check on what is valid', async () => {
    for (const [rule, field, values] of [
      [LEVEL, 'level', [0, 1, 10, 11, 2.5]],
      [COLOURS, 'colours', [[], ['red'], ['red', 'blue'], ['red', 'red'], ['pink']]],
      [DAY, 'day', ['1999-12-31', '2000-01-01', '2999-01-01', 'x']],
    ] as const) {
      for (const value of values) {
        const accepted = await validate(FieldsDto, { [field]: value }).then(() => true, () => false);
        expect([field, value, accepted]).toEqual([field, value, fieldProblem(rule, value) === null]);
      }
    }
  });

  it('documents the rule in OpenAPI, required only where RequiredFields says', () => {
    // @nestjs/swagger's metadata key for a property's schema (what SwaggerModule reads).
    const meta = (target: object, field: string) => Reflect.getMetadata('swagger/apiModelProperties', target, field);
    expect(meta(FieldsDto.prototype, 'name')).toMatchObject({ required: false, minLength: 1, maxLength: 5 });
    expect(meta(CreateDto.prototype, 'name')).toMatchObject({ required: true, minLength: 1, maxLength: 5 });
    expect(meta(CreateDto.prototype, 'level')).toMatchObject({ required: true, minimum: 1, maximum: 10 });
    expect(meta(CreateDto.prototype, 'email')).toMatchObject({ required: false, nullable: true });
  });
});
