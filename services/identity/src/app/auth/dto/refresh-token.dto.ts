import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class RefreshTokenDto {
  @ApiProperty({ maxLength: 128, description: 'the opaque refresh token from login, register or a previous refresh' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  refreshToken!: string;
}
