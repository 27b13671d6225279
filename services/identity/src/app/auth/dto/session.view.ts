import { ApiProperty } from '@nestjs/swagger';
import { UserView } from '../../users/dto/user.view';

/** What register, login and refresh return. */
export class SessionView {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ description: 'JWT (ES256, signed by identity; `kid` names the key) for `Authorization: Bearer`' }) accessToken!: string;
  @ApiProperty({ description: 'opaque; exchange at /api/auth/refresh; single use' }) refreshToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'access token lifetime in seconds' }) expiresIn!: number;
  @ApiProperty({ description: 'refresh token lifetime in seconds' }) refreshExpiresIn!: number;
}
