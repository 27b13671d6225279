import { NewAccountDto } from '../../users/dto/new-account.dto';

/** Customer self-registration: the new-account fields, role fixed to customer. */
export class RegisterDto extends NewAccountDto {}
