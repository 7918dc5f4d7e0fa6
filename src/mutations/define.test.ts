import type { Principal } from '../auth';
import { AppError, ErrorCode } from '../errors';
import { mayRetract, maySpeakAs } from './authority';
import { entityId, toUserErrors } from './define';
import { invalid } from './inputs';
import { MUTATIONS } from './table';

const key = (role: Principal['role'], actor: string | null = null, id = 'key-1'): Principal => ({
  id,
  name: 'k',
  role,
  actor,
});
const codeOf = (f: () => void) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return String((e as AppError).extensions.code);
  }
};

describe('the mutation table', () => {
  it('declares each mutation once, with a role', () => {
    const names = MUTATIONS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(17);
    for (const m of MUTATIONS) expect(['analyst', 'admin']).toContain(m.role);
    const admin = MUTATIONS.filter((m) => m.role === 'admin').map((m) => m.name);
    expect(admin.sort()).toEqual(['correctText', 'createApiKey', 'reinstateClaim', 'revokeApiKey']);
  });

  it('makes ids outside the seed namespaces and refuses client ids inside them', () => {
    const rule = { given: (i: { id?: string }) => i.id, from: () => 'Claim about Sony' };
    expect(entityId(rule, {})).toMatch(/^x-claim-about-sony-[a-z0-9]{6}$/);
    expect(entityId({ ...rule, from: () => 'Lazarus Group' }, {})).toMatch(
      /^lazarus-group-[a-z0-9]{6}$/,
    );
    expect(entityId(rule, { id: 'mine' })).toBe('mine');
    expect(codeOf(() => entityId(rule, { id: 'sony-h9' }))).toBe(ErrorCode.BAD_USER_INPUT);
  });
});

describe('user errors', () => {
  it('turn input problems into field, path, code and message', () => {
    expect(toUserErrors(invalid('input.sources[1]', 'is wrong'))).toEqual([
      {
        field: 'input.sources[1]',
        path: ['input', 'sources', '1'],
        code: 'BAD_USER_INPUT',
        message: 'input.sources[1]: is wrong',
      },
    ]);
    const many = new AppError(ErrorCode.BAD_USER_INPUT, 'x', {
      issues: [
        { field: 'input.a', message: 'm1' },
        { field: 'input.b.0', message: 'm2' },
      ],
    });
    expect(toUserErrors(many)?.map((e) => [e.field, e.path, e.message])).toEqual([
      ['input.a', ['input', 'a'], 'input.a: m1'],
      ['input.b.0', ['input', 'b', '0'], 'input.b.0: m2'],
    ]);
  });

  it('leave authentication, authorization, outages and bugs top-level', () => {
    for (const code of [
      ErrorCode.UNAUTHENTICATED,
      ErrorCode.FORBIDDEN,
      ErrorCode.SERVICE_UNAVAILABLE,
      ErrorCode.TIMEOUT,
    ])
      expect(toUserErrors(new AppError(code, 'x'))).toBeNull();
    expect(toUserErrors(new Error('bug'))).toBeNull();
  });
});

describe('authority', () => {
  const claim = { id: 'c', createdBy: 'key-1', claimant: 'fbi' };
  it('lets the recorder, a key bound to the claimant, or an admin retract', () => {
    expect(codeOf(() => mayRetract(key('analyst'), claim))).toBe('ok');
    expect(codeOf(() => mayRetract(key('analyst', 'fbi', 'key-2'), claim))).toBe('ok');
    expect(codeOf(() => mayRetract(key('admin', null, 'key-3'), claim))).toBe('ok');
    expect(codeOf(() => mayRetract(key('analyst', 'nsa', 'key-2'), claim))).toBe('FORBIDDEN');
    expect(codeOf(() => mayRetract(key('analyst', null, 'key-2'), claim))).toBe('FORBIDDEN');
    // seed claims have no recorder: an analyst without the claimant's actor may not
    const seed = { ...claim, createdBy: null };
    expect(codeOf(() => mayRetract(key('analyst', null, null as never), seed))).toBe('FORBIDDEN');
  });

  it('lets a bound key speak only as its actor', () => {
    expect(codeOf(() => maySpeakAs(key('analyst', 'fbi'), 'input.ratedBy', 'fbi'))).toBe('ok');
    expect(codeOf(() => maySpeakAs(key('analyst', 'fbi'), 'input.ratedBy', null))).toBe('ok');
    expect(codeOf(() => maySpeakAs(key('analyst', 'fbi'), 'input.ratedBy', 'nsa'))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(() => maySpeakAs(key('admin', 'fbi'), 'input.analyst', 'nsa'))).toBe('FORBIDDEN');
    expect(codeOf(() => maySpeakAs(key('analyst'), 'input.ratedBy', 'nsa'))).toBe('ok');
  });
});
