import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuthUser } from '@relationship/auth';
import { ROLES } from '@relationship/contracts';
import { maskEmail, maskPhone } from '@relationship/service-kit';
import { USER_STATUSES, type User } from '../../database/entities';

/** An account as the API shows it; never the password hash. */
export class UserView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiPropertyOptional({ nullable: true, description: 'masked unless the caller is an admin or the account owner' })
  email!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'masked unless the caller is an admin or the account owner' })
  phone!: string | null;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ enum: USER_STATUSES }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ nullable: true }) lastLoginAt!: string | null;
}

export class UserPageView {
  @ApiProperty({ type: [UserView] }) items!: UserView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

/** Contact details are personal data: only admins and the owner see them in full. */
export function seesContactDetails(viewer: Pick<AuthUser, 'id' | 'role'>, user: Pick<User, 'id'>): boolean {
  return viewer.role === 'admin' || viewer.id === user.id;
}

export function toUserView(user: User, viewer: Pick<AuthUser, 'id' | 'role'>): UserView {
  const full = seesContactDetails(viewer, user);
  return {
    id: user.id,
    username: user.username,
    email: full ? (user.email ?? null) : maskEmail(user.email),
    phone: full ? (user.phone ?? null) : maskPhone(user.phone),
    displayName: user.displayName,
    role: user.role,
    status: user.status,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}
