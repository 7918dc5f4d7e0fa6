import {
  acceptsTaxii,
  decodeCursor,
  filterEntries,
  paginate,
  parseListRequest,
  toEntries,
  TaxiiError,
} from './feed';

const obj = (id: string, modified: string, type = 'incident') => ({
  type,
  id: `${type}--${id}`,
  spec_version: '2.1',
  created: modified,
  modified,
});

describe('TAXII feed logic', () => {
  it('dates an object by its recorded addition when later than its version', () => {
    const entries = toEntries(
      [obj('b', '2014-12-01T00:00:00Z'), obj('a', '2014-12-02T00:00:00.000Z')],
      (o) => (o.id === 'incident--b' ? '2025-01-01T00:00:00.000Z' : undefined),
    );
    expect(entries.map((e) => [e.id, e.dateAdded, e.version])).toEqual([
      ['incident--a', '2014-12-02T00:00:00.000Z', '2014-12-02T00:00:00.000Z'],
      ['incident--b', '2025-01-01T00:00:00.000Z', '2014-12-01T00:00:00.000Z'],
    ]);
  });

  it('pages with a cursor that survives insertions before it', () => {
    const objects = Array.from({ length: 5 }, (_, i) => obj(`${i}`, `2014-12-0${i + 1}T00:00:00Z`));
    const req = parseListRequest({ limit: '2' }, ['id', 'type']);
    const first = paginate(filterEntries(toEntries(objects), req), req);
    expect(first.entries.map((e) => e.id)).toEqual(['incident--0', 'incident--1']);
    expect(first.more).toBe(true);
    const grown = toEntries([obj('x', '2014-11-01T00:00:00Z'), ...objects]);
    const second = paginate(grown, { ...req, ...decodeCursor(first.next!) });
    expect(second.entries.map((e) => e.id)).toEqual(['incident--2', 'incident--3']);
  });

  it('carries the snapshot a page was cut from in its cursor', () => {
    const objects = Array.from({ length: 3 }, (_, i) => obj(`${i}`, `2014-12-0${i + 1}T00:00:00Z`));
    const req = parseListRequest({ limit: '1' }, []);
    const first = paginate(toEntries(objects), req, 'snap-1');
    const next = parseListRequest({ limit: '1', next: first.next }, []);
    expect(next.snapshot).toBe('snap-1');
    expect(paginate(toEntries(objects), next).entries.map((e) => e.id)).toEqual(['incident--1']);
    // a cursor without a snapshot (or from before snapshots) is still taken
    expect(decodeCursor(paginate(toEntries(objects), req).next!)).toEqual({
      after: ['2014-12-01T00:00:00.000Z', 'incident--0'],
    });
    const long = Buffer.from(JSON.stringify(['2014-12-01T00:00:00Z', 'x', 'y'.repeat(65)]));
    expect(() => decodeCursor(long.toString('base64url'))).toThrow(TaxiiError);
  });

  it('treats limit=0 as the default page size and caps large limits', () => {
    expect(parseListRequest({ limit: '0' }, []).limit).toBe(100);
    expect(parseListRequest({ limit: '99999' }, []).limit).toBe(1000);
    expect(() => parseListRequest({ 'match[type]': 'x' }, ['id'])).toThrow(TaxiiError);
  });

  it('negotiates the TAXII 2.1 media type', () => {
    expect(acceptsTaxii('application/taxii+json;version=2.1')).toBe(true);
    expect(acceptsTaxii('application/TAXII+json; version="2.1"')).toBe(true);
    expect(acceptsTaxii('application/taxii+json')).toBe(true);
    expect(acceptsTaxii('application/taxii+json;version=2.1;q=0')).toBe(false);
    expect(acceptsTaxii('application/taxii+json;version=2.0')).toBe(false);
    expect(acceptsTaxii('*/*')).toBe(false);
    expect(acceptsTaxii(undefined)).toBe(false);
  });
});
