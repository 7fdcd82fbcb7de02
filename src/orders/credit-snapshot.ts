/** What the last-moment credit check sees, read without locking anything (under `react`). */
export interface CreditSnapshot {
  customerId: string;
  creditLimit: number;
  /** Sum of (total - discount) over the customer's open orders. */
  exposure: number;
  /** The credit rule's own answer: would adding `added` to the exposure go past the limit? */
  exceeds(added: number): boolean;
}

/** What the last-moment coupon check sees. */
export interface CouponSnapshot {
  couponId: string;
  discount: number;
  maxUses: number;
  /** Orders holding the coupon (applied, not revoked, order not cancelled). */
  uses: number;
  /** The coupon rule's own answer: would `added` more uses go past maxUses? */
  exceeds(added: number): boolean;
}
