export interface CouponView {
  id: string;
  code: string;
  maxUses: number;
  allowedOverbooking: number;
  discount: number;
  uses: number;
  version: number;
}
