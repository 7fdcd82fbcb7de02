import { OrderStatus } from './order.aggregate';

export interface OrderView {
  id: string;
  customerId: string;
  total: number;
  discount: number;
  couponId: string | null;
  status: OrderStatus;
  version: number;
}
