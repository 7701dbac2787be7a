/** Proves configuration is validated once, with every problem listed, and production refuses defaults. */
import { ConfigError, loadConfig } from './app-config';

describe('configuration', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ nodeEnv: 'development', port: 3000, adminPhone: '13800000000', bedHoldMinutesDefault: 2880 });
    expect(config.idEncryptionKey).toHaveLength(32);
  });

  it('lists every problem in one error', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', NODE_ENV: 'staging' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        expect.stringContaining('NODE_ENV'),
        expect.stringContaining('PORT'),
        expect.stringContaining('DATABASE_URL'),
      ]);
    }
  });

  it('prepares the hot statements unless DATABASE_PREPARED_STATEMENTS is off, and takes nothing but on or off', () => {
    expect(loadConfig({}).databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'on' }).databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'off' }).databasePreparedStatements).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' })).toThrow(/DATABASE_PREPARED_STATEMENTS must be on or off \(got "false"\)/);
  });

  it('keeps 8 database connections per process unless DATABASE_POOL_SIZE says otherwise, between 1 and 500', () => {
    expect(loadConfig({}).databasePoolSize).toBe(8);
    expect(loadConfig({ DATABASE_POOL_SIZE: '20' }).databasePoolSize).toBe(20);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: 'many' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('refuses to run in production with default secrets or the demo password', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required[\s\S]*ADMIN_PASSWORD is required[\s\S]*ID_ENCRYPTION_KEY is required/);
    const secrets = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      ID_ENCRYPTION_KEY: 'a'.repeat(64),
      ID_HASH_KEY: 'b'.repeat(64),
    };
    expect(() => loadConfig({ ...secrets, ADMIN_PASSWORD: 'demo-admin-2020' })).toThrow(/demo password/);
    expect(loadConfig({ ...secrets, ADMIN_PASSWORD: 'a-real-secret-2026' }).nodeEnv).toBe('production');
  });
});
