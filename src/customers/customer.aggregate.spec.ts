import { given } from '../testing/aggregate-spec';
import { customerCreditLimitChanged, customerRegistered } from './customer.events';
import { Customer } from './customer.aggregate';

const registered = customerRegistered({ customerId: 'c-1', name: 'Ada', email: 'ada@example.com', creditLimit: 1000 });

describe('Customer', () => {
  describe('RegisterCustomer', () => {
    it('records CustomerRegistered', () => {
      const customer = Customer.register('c-1', 'Ada', 'ada@example.com', 1000);
      expect(customer.getUncommittedEvents()).toEqual([registered]);
      expect(customer.snapshot()).toEqual({
        id: 'c-1',
        name: 'Ada',
        email: 'ada@example.com',
        creditLimit: 1000,
        version: 1,
      });
    });

    it('accepts a zero limit and refuses a negative or fractional one', () => {
      expect(Customer.register('c-0', 'Zero', 'z@example.com', 0).snapshot().creditLimit).toBe(0);
      expect(() => Customer.register('c-2', 'Neg', 'n@example.com', -1)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
      expect(() => Customer.register('c-2', 'Frac', 'f@example.com', 1.5)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    });
  });

  describe('ChangeCreditLimit', () => {
    it('records the previous and the new limit', () => {
      given(Customer.blank('c-1'), registered)
        .when((customer) => customer.changeCreditLimit(400))
        .then([customerCreditLimitChanged({ customerId: 'c-1', previousLimit: 1000, newLimit: 400 })]);
    });

    it('records nothing when the limit does not change', () => {
      given(Customer.blank('c-1'), registered)
        .when((customer) => customer.changeCreditLimit(1000))
        .then([]);
    });

    it('refuses a negative limit', () => {
      given(Customer.blank('c-1'), registered)
        .when((customer) => customer.changeCreditLimit(-5))
        .thenRefused('VALIDATION_FAILED', /creditLimit/);
    });

    it('keeps the version as the number of events', () => {
      const customer = given(
        Customer.blank('c-1'),
        registered,
        customerCreditLimitChanged({ customerId: 'c-1', previousLimit: 1000, newLimit: 10 }),
      )
        .when((c) => c.changeCreditLimit(20))
        .then([customerCreditLimitChanged({ customerId: 'c-1', previousLimit: 10, newLimit: 20 })]);
      expect(customer.loadedVersion).toBe(2);
      expect(customer.version).toBe(3);
    });
  });
});
