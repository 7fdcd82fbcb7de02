export interface CustomerView {
  id: string;
  name: string;
  email: string;
  creditLimit: number;
  exposure: number;
  version: number;
}
