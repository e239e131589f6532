import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../collector/config';

const secrets = {
  ASHOP_JWT_SECRET: 'a'.repeat(32),
  ASHOP_SIGNUP_SECRET: 'b'.repeat(32),
};

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig(secrets);
    expect(config).toMatchObject({
      mongodbUri: undefined,
      port: 4000,
      sitePort: 8080,
      siteUrl: 'http://localhost:8080',
      allowedOrigins: ['http://localhost:8080'],
      cookieDays: 60,
      attributionModel: 'first',
      couponPrecedence: 'coupon',
      holdDays: 120,
      minPayout: 10000,
      commissionRate: 250000,
      commissionableKinds: ['plan', 'app'],
      currency: 'USD',
      clickRetentionDays: 400,
      deliveryLogDays: 30,
      host: '127.0.0.1',
      trustProxy: ['loopback'],
      unhealthyAfterSeconds: 60,
    });
  });

  it('reads ASHOP_TRUST_PROXY as a hop count or a list of addresses and subnets', () => {
    expect(loadConfig({ ...secrets, ASHOP_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(
      loadConfig({ ...secrets, ASHOP_TRUST_PROXY: 'loopback, 10.0.0.0/8, 2001:db8::/32, 192.0.2.7' }).trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8', '2001:db8::/32', '192.0.2.7']);
    for (const bad of ['10.0.0.0/33', 'proxy.example', 'true', ','])
      expect(() => loadConfig({ ...secrets, ASHOP_TRUST_PROXY: bad })).toThrow(/ASHOP_TRUST_PROXY/);
  });

  it('refuses generated secrets with MONGODB_URI, naming both variables', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ashop-config-'));
    const uri = 'mongodb://db1.example,db2.example/ashop?replicaSet=rs0';
    expect(() => loadConfig({ MONGODB_URI: uri, ASHOP_DATA_DIR: dataDir })).toThrow(
      /ASHOP_JWT_SECRET and ASHOP_SIGNUP_SECRET must be set/,
    );
    expect(() => loadConfig({ MONGODB_URI: uri, ASHOP_JWT_SECRET: 'a'.repeat(32), ASHOP_DATA_DIR: dataDir })).toThrow(
      ConfigError,
    );
    expect(loadConfig({ ...secrets, MONGODB_URI: uri }).mongodbUri).toBe(uri);
  });

  it('reads lists and overrides', () => {
    const config = loadConfig({
      ...secrets,
      ASHOP_SITE_URL: 'https://ashop.example/',
      ASHOP_ALLOWED_ORIGINS: 'https://ashop.example, https://www.ashop.example',
      ASHOP_COMMISSION_RATE: '0.3',
      ASHOP_COMMISSIONABLE_KINDS: 'plan, app, addon',
      PORT: '4100',
    });
    expect(config.siteUrl).toBe('https://ashop.example');
    expect(config.allowedOrigins).toEqual(['https://ashop.example', 'https://www.ashop.example']);
    expect(config.commissionRate).toBe(300000);
    expect(config.commissionableKinds).toEqual(['plan', 'app', 'addon']);
    expect(config.port).toBe(4100);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['ASHOP_COMMISSION_RATE', '1.5'],
    ['ASHOP_ATTRIBUTION', 'middle'],
    ['ASHOP_COUPON_PRECEDENCE', 'either'],
    ['ASHOP_COMMISSION_RATE', '0.1234567'],
    ['ASHOP_COMMISSION_RATE', '-0.1'],
    ['ASHOP_COOKIE_DAYS', '0'],
    ['ASHOP_HOLD_DAYS', '2.5'],
    ['ASHOP_MIN_PAYOUT', 'lots'],
    ['ASHOP_CURRENCY', 'dollars'],
    ['ASHOP_SITE_URL', 'ftp://ashop.example'],
    ['ASHOP_ALLOWED_ORIGINS', 'not a url'],
    ['MONGODB_URI', 'postgres://localhost'],
    ['ASHOP_JWT_SECRET', 'short'],
    ['ASHOP_ADMIN_KEY', 'short'],
    ['SMTP_URL', 'http://mail'],
    ['ASHOP_COMMISSIONABLE_KINDS', 'Plan!'],
    ['ASHOP_UNHEALTHY_AFTER_SECONDS', '0'],
    ['HOST', ' '],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ ...secrets, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...secrets, [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('generates secrets once and keeps them in the data folder', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ashop-config-'));
    const first = loadConfig({ ASHOP_DATA_DIR: dataDir });
    const second = loadConfig({ ASHOP_DATA_DIR: dataDir });
    expect(first.jwtSecret).toHaveLength(43);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.signupSecret).toBe(first.signupSecret);
    expect(first.jwtSecret).not.toBe(first.signupSecret);
    expect(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8'))).toEqual({
      jwtSecret: first.jwtSecret,
      signupSecret: first.signupSecret,
    });
  });
});
