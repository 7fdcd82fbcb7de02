/** What the last-moment credit check sees, read without locking anything. */
export interface CreditSnapshot {
  customerId: string;
  creditLimit: number;
  /** Sum of (total - discount) over the customer's open orders. */
  exposure: number;
}

/** What the last-moment coupon check sees. */
export interface CouponSnapshot {
  couponId: string;
  discount: number;
  maxUses: number;
  /** Orders holding the coupon (applied, not revoked, order not cancelled). */
  uses: number;
}
