/** Proves log lines never carry ID-card or mobile numbers in clear, whatever field they hide in. */
import { scrubPersonalData } from './logger';

describe('log scrubbing', () => {
  it('masks ID numbers and mobile numbers anywhere in a line', () => {
    const line = JSON.stringify({ msg: 'lookup 11010519491231002X failed', err: 'duplicate key (phone)=(13912345678)' });
    const scrubbed = scrubPersonalData(line);
    expect(scrubbed).not.toContain('11010519491231002X');
    expect(scrubbed).not.toContain('13912345678');
    expect(scrubbed).toContain('110105********002X');
    expect(scrubbed).toContain('139****5678');
  });

  it('leaves other numbers alone', () => {
    const line = '{"ms":12,"count":1234567890123,"id":"5d0c"}';
    expect(scrubPersonalData(line)).toBe(line);
  });
});
