import { ApiProperty } from '@nestjs/swagger';

/** The one answer to a registration, whether the account was created or not (README, "Registration"). */
export class RegistrationView {
  @ApiProperty({ example: 'accepted' }) status!: 'accepted';
  @ApiProperty() message!: string;
}

export const REGISTRATION_ACCEPTED: RegistrationView = {
  status: 'accepted',
  message: 'Registration received. Sign in with the username and password you chose; if that fails, the username cannot be used: choose another.',
};
