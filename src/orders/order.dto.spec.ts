import { ArgumentMetadata } from '@nestjs/common';
import { StrictValidationPipe } from '../http/validation';
import { CreateOrderDto } from './order.dto';

/** The same rules without the quick check: what every body went through before it. */
class FullyCheckedCreateOrderDto extends CreateOrderDto {
  static override acceptsQuickly = () => false;
}

const id64 = 'a'.repeat(64);
const bodies: unknown[] = [
  { customerId: 'c-1', total: 100 },
  { total: 100, customerId: 'c-1', id: 'o_1' },
  { id: id64, customerId: id64, total: 1 },
  { customerId: 'c-1', total: 1e12 },
  { customerId: 'c-1', total: 1e12 + 1 },
  { customerId: 'c-1', total: 0 },
  { customerId: 'c-1', total: -0 },
  { customerId: 'c-1', total: 1.5 },
  { customerId: 'c-1', total: '100' },
  { customerId: 'c-1', total: null },
  { customerId: 'c-1' },
  { total: 100 },
  {},
  { customerId: 'c 1', total: 100 },
  { customerId: 'a'.repeat(65), total: 100 },
  { customerId: 42, total: 100 },
  { customerId: 'c-1', total: 100, id: null },
  { customerId: 'c-1', total: 100, id: '' },
  { customerId: 'c-1', total: 100, id: 'ö' },
  { customerId: 'c-1', total: 100, extra: true },
  { customerId: 'c-1', total: 100, constructor: 1 },
  { customerId: ['c-1'], total: 100 },
  { customerId: { id: 'c-1' }, total: 100 },
  [],
  'c-1',
];

async function outcome(pipe: StrictValidationPipe, body: unknown, metatype: ArgumentMetadata['metatype']) {
  try {
    const dto = await pipe.transform(structuredClone(body), { type: 'body', metatype });
    return { dto: { ...(dto as object) }, isDto: dto instanceof CreateOrderDto };
  } catch (error) {
    return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

describe('CreateOrderDto.acceptsQuickly', () => {
  const pipe = new StrictValidationPipe();

  it.each(bodies.map((body) => [JSON.stringify(body), body]))(
    'answers %s exactly as the full validation does',
    async (_, body) => {
      const full = await outcome(pipe, body, FullyCheckedCreateOrderDto);
      expect(await outcome(pipe, body, CreateOrderDto)).toEqual(full);
    },
  );

  it('takes the usual bodies', () => {
    expect(CreateOrderDto.acceptsQuickly({ customerId: 'c-1', total: 100 })).toBe(true);
    expect(CreateOrderDto.acceptsQuickly({ id: 'o-1', customerId: 'c-1', total: 100 })).toBe(true);
  });
});
