import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** `:id` path parameters must be UUIDs; anything else is a 400 that names the parameter. */
export const uuidParam = (name = 'id') =>
  new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${name} must be a UUID`) });
