import { TAG_CODE_PATTERN } from '@relationship/domain-rules';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateTagDto {
  @ApiProperty({ example: 'golf_lover' }) @IsString() @Matches(TAG_CODE_PATTERN, { message: 'code must be lowercase letters, digits and "_"' }) code!: string;
  @ApiProperty({ example: '高尔夫爱好者' }) @Transform(trimmed) @IsString() @MinLength(1) @MaxLength(64) labelZh!: string;
  @ApiProperty({ example: 'Golf lover' }) @Transform(trimmed) @IsString() @MinLength(1) @MaxLength(64) labelEn!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) description?: string;
}
