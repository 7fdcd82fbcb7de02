import { IsBoundedInt, IsEmailAddress, IsEntityId, IsLabel, MAX_AMOUNT } from '../http/validation';

export class RegisterCustomerDto {
  @IsEntityId('Client-chosen id; generated when absent', true)
  id?: string;

  @IsLabel('Customer name')
  name: string;

  @IsEmailAddress('Customer email address')
  email: string;

  @IsBoundedInt(0, MAX_AMOUNT, 'Credit limit in cents')
  creditLimit: number;
}

export class ChangeCreditLimitDto {
  @IsBoundedInt(0, MAX_AMOUNT, 'New credit limit in cents')
  creditLimit: number;
}
