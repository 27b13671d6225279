import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@relationship/contracts';
import { IsIn } from 'class-validator';

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}
