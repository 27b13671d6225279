import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { NewAccountDto } from './new-account.dto';

export const STAFF_ROLES = ['manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Staff accounts are created by admins; customers register themselves. */
export class CreateUserDto extends NewAccountDto {
  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role!: StaffRole;
}
