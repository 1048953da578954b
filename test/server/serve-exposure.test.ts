import { checkWriteExposure, isLoopbackHost } from '../../runtime/cli/commands/serve';

describe('serve: unauthenticated writes on a reachable address are an explicit choice', () => {
  it('tells loopback addresses from the others, in every spelling', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '[::]', '10.0.0.5', 'example.internal', '::ffff:10.0.0.1', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses without tokens or the flag, naming both; warns with the flag; says nothing with tokens or on loopback', () => {
    expect(() => checkWriteExposure('0.0.0.0', [], false)).toThrow(/not a loopback address/);
    try {
      checkWriteExposure('::', [], false);
    } catch (e) {
      expect((e as { hint: string }).hint).toContain('FEATURESTACK_SERVER_TOKENS');
      expect((e as { hint: string }).hint).toContain('--allow-unauthenticated-writes');
    }
    expect(checkWriteExposure('0.0.0.0', [], true)).toMatch(/^WARNING: serving on 0\.0\.0\.0 with no FEATURESTACK_SERVER_TOKENS: anyone who can reach this address can call \/push/);
    expect(checkWriteExposure('0.0.0.0', ['tok'], false)).toBeUndefined();
    expect(checkWriteExposure('::ffff:127.0.0.1', [], false)).toBeUndefined();
  });
});
