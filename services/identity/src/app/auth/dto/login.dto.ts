import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** No format rules beyond length: a malformed username simply does not exist, and says so the same way. */
export class LoginDto {
  @ApiProperty({ maxLength: 64, example: 'customer1' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @ApiProperty({ maxLength: 128, example: '123456' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}
