/** Proves two requests with the same fields in another order count as the same request. */
import { canonicalJson, requestHash } from './idempotency.service';

describe('request identity for idempotency keys', () => {
  it('ignores key order and undefined fields, but not values', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }], c: undefined })).toBe('{"a":[{"x":1,"y":2}],"b":1}');
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });
});
