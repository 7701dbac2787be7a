/**
 * The platform's configuration, read once from the environment at boot and validated.
 * A missing or malformed variable stops the process with one message that lists every problem.
 * This is the only place in the code base that reads `process.env`.
 */
export type NodeEnv = 'development' | 'test' | 'production';

export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly port: number;
  readonly databaseUrl: string;
  /**
   * Connections per process to the primary (a replica gets half); 8 by default. On the 2-core
   * machine 8 gave lower bed-move and enrolment latencies than 20, and 4, 6, 10 or 12 no better
   * than 8 (docs/adr/0009-database-pool-size.md).
   */
  readonly databasePoolSize: number;
  /**
   * The hot statements (a bed move, a batch of ledger operations) are prepared once per connection
   * (`DATABASE_PREPARED_STATEMENTS`, on by default); off sends them unnamed, for a pooler in
   * transaction mode that does not track prepared statements (PgBouncer before 1.21, or with
   * `max_prepared_statements = 0`).
   */
  readonly databasePreparedStatements: boolean;
  readonly redisUrl: string;
  /**
   * Seed nodes of a Redis Cluster (`REDIS_CLUSTER_NODES=host:port,host:port,…`); when set, every
   * Redis client is a cluster client and `redisUrl` is ignored. Null: one standalone server.
   */
  readonly redisClusterNodes: readonly RedisNodeAddress[] | null;
  /** A streaming replica for reads that may lag (`DATABASE_READ_URL`); null reads the primary only. */
  readonly databaseReadUrl: string | null;
  /** BullMQ key prefix; tests give every run its own so runs never share jobs. */
  readonly queuePrefix: string;
  readonly jwtSecret: string;
  readonly accessTokenTtlSeconds: number;
  /** 32-byte key for AES-256-GCM encryption of ID-card numbers. */
  readonly idEncryptionKey: Buffer;
  /** Key of the HMAC used to look ID-card numbers up without decrypting them. */
  readonly idHashKey: Buffer;
  readonly adminPhone: string;
  readonly adminPassword: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly loginFailuresPerPhone: number;
  readonly loginFailuresPerAddress: number;
  readonly loginWindowSeconds: number;
  /** Live event streams (bed board, ticket status) one user may hold open in one API process before 429. */
  readonly liveStreamsPerUser: number;
  /** Live event streams one API process holds open in all before 429. */
  readonly liveStreamsPerProcess: number;
  /** Where the built web front end lives; served at `/` when present. */
  readonly webRoot: string;
  /** Bed holds expire after this many minutes unless the request names another length. */
  readonly bedHoldMinutesDefault: number;
  /** Time-bank storage cap per account; minutes beyond it go to the community pool. */
  readonly timeBankStorageCapMinutes: number;
  /** Minutes one account may give to family within a calendar year. */
  readonly timeBankGiftLimitMinutesPerYear: number;
  /** Age from which an account holder may redeem minutes. */
  readonly timeBankRedemptionMinAge: number;
  /** Most holds and gifts sent to PostgreSQL as one statement (group commit). */
  readonly timeBankBatchSize: number;
  /** Most such statements on their way at once, per process. */
  readonly timeBankBatchesInFlight: number;
  /** Apply requests one senior may make per minute before 429. */
  readonly enrolmentApplyPerMinute: number;
  /**
   * The worker's scheduling priority (nice, 0–19): background work yields the CPU to the API's
   * requests on a machine both share, and uses whatever the requests leave (docs/enrolment.md).
   */
  readonly workerNice: number;
  /**
   * How long the API keeps answering after SIGTERM before it stops taking requests (ms): readiness
   * already says 503 and every answer closes its connection, so balancers and keep-alive clients
   * move to another process while requests on their way still get a real answer.
   */
  readonly stopDrainMs: number;
  /** Where SMS go: one masked log line (`log`), nowhere (`none`), or the Alibaba Cloud SMS API (`aliyun`). */
  readonly smsProvider: 'log' | 'none' | 'aliyun';
  /** Base URL of the Alibaba Cloud SMS API (`SMS_ENDPOINT`). */
  readonly smsEndpoint: string;
  readonly smsAccessKeyId: string;
  readonly smsAccessKeySecret: string;
  /** The approved signature (签名) every message carries. */
  readonly smsSignName: string;
  /** Approved template code per notification kind (`SMS_TEMPLATE_<KIND>`); a kind without one is not sent by SMS. */
  readonly smsTemplates: Readonly<Record<string, string>>;
  /** Text messages one phone number receives per Shanghai calendar day at most. */
  readonly smsDailyCapPerPhone: number;
  /** Attempts at one SMS before it is given up when the provider keeps asking to retry. */
  readonly smsMaxAttempts: number;
  /** First retry delay of an SMS; doubles with each attempt, at most an hour. */
  readonly smsRetryBaseMs: number;
  /** Quiet hours, Shanghai time: no non-urgent SMS from this hour … */
  readonly smsQuietFromHour: number;
  /** … until this hour (equal hours: no quiet hours). */
  readonly smsQuietUntilHour: number;
  /** How often the worker relays pending notifications. */
  readonly notificationRelayEveryMs: number;
  /** How long a delivery may run before another worker takes the notification over (a worker that died). */
  readonly notificationLeaseSeconds: number;
  /** A bed hold this close to its expiry tells the family once. */
  readonly holdExpiringNoticeHours: number;
}

/** Notification kinds that may have an SMS template (`SMS_TEMPLATE_<KIND>`). */
export const SMS_TEMPLATE_KINDS = [
  'SEAT_CONFIRMED',
  'SEAT_WAITLISTED',
  'SEAT_PROMOTED',
  'SEAT_REJECTED',
  'SEAT_CANCELLED',
  'COURSE_MOVED',
  'MAY_REAPPLY',
  'BED_OFFERED',
  'HOLD_EXPIRING',
  'BED_TRANSFERRED',
  'LEAVE_OVERDUE',
  'REQUEST_CLAIMED',
  'REQUEST_EXPIRED',
  'REQUEST_CANCELLED',
  'REQUEST_CANCELLED_LATE',
  'REQUEST_RELEASED',
  'REQUEST_RELEASED_LATE',
  'REQUEST_UNREPORTED',
  'SERVICE_TO_CONFIRM',
  'SERVICE_UNCONFIRMED',
  'SERVICE_REJECTED',
  'SERVICE_REVIEW_REQUESTED',
  'SERVICE_REVIEW_CONFIRMED',
  'SERVICE_REVIEW_UPHELD',
  'SERVICE_CONFIRMED_ON_REVIEW',
  'MINUTES_RECEIVED',
  'BOOKING_CANCELLED',
  'BOOKING_UNSETTLED',
  'CONTRACT_ENDING',
] as const;

/** One node of a Redis Cluster, with the credentials its entry named (if any). */
export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Parses `host:port,host:port` (an entry may be a `redis://` or `rediss://` URL with
 * credentials); null when the list is empty, the problems pushed when an entry is malformed.
 */
export function parseRedisClusterNodes(raw: string | undefined, problems: string[]): RedisNodeAddress[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  const nodes: RedisNodeAddress[] = [];
  for (const entry of raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)) {
    try {
      const parsed = new URL(entry.includes('://') ? entry : `redis://${entry}`);
      const port = Number(parsed.port || '6379');
      if (!['redis:', 'rediss:'].includes(parsed.protocol) || !parsed.hostname || !Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error('bad entry');
      nodes.push({
        host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
        port,
        username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
        password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
        tls: parsed.protocol === 'rediss:' ? true : undefined,
      });
    } catch {
      problems.push(`REDIS_CLUSTER_NODES must list host:port entries separated by commas (got "${entry}")`);
    }
  }
  if (nodes.length === 0) problems.push('REDIS_CLUSTER_NODES names no node');
  return nodes;
}

/** Development-only defaults. Production refuses to start with any of them. */
const DEV_DEFAULTS = {
  jwtSecret: 'dev-only-jwt-secret-change-me-0123456789',
  idEncryptionKey: '6465762d6f6e6c792d69642d656e6372797074696f6e2d6b65792d3332627921',
  idHashKey: '6465762d6f6e6c792d69642d6c6f6f6b75702d686173682d6b65792d33326221',
  adminPhone: '13800000000',
  adminPassword: 'demo-admin-2020',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

type SmsConfig = Pick<
  AppConfig,
  | 'smsProvider'
  | 'smsEndpoint'
  | 'smsAccessKeyId'
  | 'smsAccessKeySecret'
  | 'smsSignName'
  | 'smsTemplates'
  | 'smsDailyCapPerPhone'
  | 'smsMaxAttempts'
  | 'smsRetryBaseMs'
  | 'smsQuietFromHour'
  | 'smsQuietUntilHour'
  | 'notificationRelayEveryMs'
  | 'notificationLeaseSeconds'
  | 'holdExpiringNoticeHours'
>;

/** Notification and SMS settings (docs/notifications.md, "Configuration"). */
function smsConfig(env: Env, production: boolean, problems: string[], int: (name: string, fallback: number, min: number, max: number) => number): SmsConfig {
  // Outside production the default writes one masked log line per SMS; production sends nothing
  // unless a provider is named, so a deployment never texts people by accident.
  const provider = env.SMS_PROVIDER || (production ? 'none' : 'log');
  if (provider !== 'log' && provider !== 'none' && provider !== 'aliyun') problems.push(`SMS_PROVIDER must be log, none or aliyun (got "${provider}")`);
  const endpoint = env.SMS_ENDPOINT || 'https://dysmsapi.aliyuncs.com';
  try {
    const parsed = new URL(endpoint);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') problems.push('SMS_ENDPOINT must use http: or https:');
  } catch {
    problems.push('SMS_ENDPOINT is not a valid URL');
  }
  const templates: Record<string, string> = {};
  for (const kind of SMS_TEMPLATE_KINDS) {
    const code = env[`SMS_TEMPLATE_${kind}`];
    if (code === undefined || code === '') continue;
    if (!/^[A-Za-z0-9_]{1,40}$/.test(code)) problems.push(`SMS_TEMPLATE_${kind} must be a template code such as SMS_123456789`);
    else templates[kind] = code;
  }
  const accessKeyId = env.SMS_ACCESS_KEY_ID ?? '';
  const accessKeySecret = env.SMS_ACCESS_KEY_SECRET ?? '';
  const signName = env.SMS_SIGN_NAME ?? '';
  if (provider === 'aliyun') {
    if (!accessKeyId) problems.push('SMS_ACCESS_KEY_ID is required when SMS_PROVIDER=aliyun');
    if (!accessKeySecret) problems.push('SMS_ACCESS_KEY_SECRET is required when SMS_PROVIDER=aliyun');
    if (!signName) problems.push('SMS_SIGN_NAME is required when SMS_PROVIDER=aliyun');
    if (Object.keys(templates).length === 0) problems.push('at least one SMS_TEMPLATE_<KIND> is required when SMS_PROVIDER=aliyun');
  }
  return {
    smsProvider: provider as SmsConfig['smsProvider'],
    smsEndpoint: endpoint,
    smsAccessKeyId: accessKeyId,
    smsAccessKeySecret: accessKeySecret,
    smsSignName: signName,
    smsTemplates: templates,
    smsDailyCapPerPhone: int('SMS_DAILY_CAP_PER_PHONE', 10, 1, 1000),
    smsMaxAttempts: int('SMS_MAX_ATTEMPTS', 8, 1, 50),
    smsRetryBaseMs: int('SMS_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    smsQuietFromHour: int('SMS_QUIET_FROM_HOUR', 21, 0, 23),
    smsQuietUntilHour: int('SMS_QUIET_UNTIL_HOUR', 8, 0, 23),
    notificationRelayEveryMs: int('NOTIFICATION_RELAY_EVERY_MS', 1000, 100, 600_000),
    notificationLeaseSeconds: int('NOTIFICATION_LEASE_SECONDS', 60, 1, 3600),
    holdExpiringNoticeHours: int('HOLD_EXPIRING_NOTICE_HOURS', 12, 1, 720),
  };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'test', 'production'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV must be development, test or production (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = nodeEnvRaw as NodeEnv;
  const production = nodeEnv === 'production';

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const onOff = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'on' || raw === 'off') return raw === 'on';
    problems.push(`${name} must be on or off (got "${raw}")`);
    return fallback;
  };

  const secret = (name: string, fallback: string): string => {
    const raw = env[name];
    if (raw !== undefined && raw !== '') return raw;
    if (production) problems.push(`${name} is required when NODE_ENV=production`);
    return fallback;
  };

  const key32 = (name: string, fallback: string): Buffer => {
    const raw = secret(name, fallback);
    const decoded = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (decoded.length < 32) {
      problems.push(`${name} must be 32 bytes, as 64 hex digits or base64`);
      return Buffer.alloc(32);
    }
    return decoded.subarray(0, 32);
  };

  const url = (name: string, fallback: string, protocols: string[]): string => {
    const raw = env[name] || fallback;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) problems.push(`${name} must use ${protocols.join(' or ')}`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const jwtSecret = secret('JWT_SECRET', DEV_DEFAULTS.jwtSecret);
  if (jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  if (production && jwtSecret === DEV_DEFAULTS.jwtSecret) problems.push('JWT_SECRET must not be the development default');

  const adminPassword = secret('ADMIN_PASSWORD', DEV_DEFAULTS.adminPassword);
  if (production && adminPassword === DEV_DEFAULTS.adminPassword) {
    problems.push('ADMIN_PASSWORD must not be the demo password in production');
  }
  const adminPhone = env.ADMIN_PHONE || DEV_DEFAULTS.adminPhone;
  if (!/^1[3-9]\d{9}$/.test(adminPhone)) problems.push('ADMIN_PHONE must be an 11-digit mainland mobile number');

  const logLevel = (env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info')) as AppConfig['logLevel'];
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }

  const config: AppConfig = {
    nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/eldercare', ['postgres:', 'postgresql:']),
    databasePoolSize: int('DATABASE_POOL_SIZE', 8, 1, 500),
    databasePreparedStatements: onOff('DATABASE_PREPARED_STATEMENTS', true),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisClusterNodes: parseRedisClusterNodes(env.REDIS_CLUSTER_NODES, problems),
    databaseReadUrl: env.DATABASE_READ_URL ? url('DATABASE_READ_URL', '', ['postgres:', 'postgresql:']) : null,
    queuePrefix: env.QUEUE_PREFIX || 'eldercare',
    jwtSecret,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 3600, 60, 86_400),
    idEncryptionKey: key32('ID_ENCRYPTION_KEY', DEV_DEFAULTS.idEncryptionKey),
    idHashKey: key32('ID_HASH_KEY', DEV_DEFAULTS.idHashKey),
    adminPhone,
    adminPassword,
    logLevel,
    loginFailuresPerPhone: int('LOGIN_FAILURES_PER_PHONE', 5, 1, 1000),
    loginFailuresPerAddress: int('LOGIN_FAILURES_PER_ADDRESS', 30, 1, 100_000),
    loginWindowSeconds: int('LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
    liveStreamsPerUser: int('LIVE_STREAMS_PER_USER', 10, 1, 10_000),
    liveStreamsPerProcess: int('LIVE_STREAMS_PER_PROCESS', 2000, 1, 1_000_000),
    webRoot: env.WEB_ROOT || 'apps/web/dist',
    bedHoldMinutesDefault: int('BED_HOLD_MINUTES', 48 * 60, 1, 30 * 24 * 60),
    timeBankStorageCapMinutes: int('TIME_BANK_STORAGE_CAP_MINUTES', 1500 * 60, 60, 100_000_000),
    timeBankGiftLimitMinutesPerYear: int('TIME_BANK_GIFT_LIMIT_MINUTES_PER_YEAR', 100 * 60, 0, 100_000_000),
    timeBankRedemptionMinAge: int('TIME_BANK_REDEMPTION_MIN_AGE', 60, 0, 150),
    // Each operation of a batch is a subtransaction; PostgreSQL keeps 64 of them per transaction cheaply.
    timeBankBatchSize: int('TIME_BANK_BATCH_SIZE', 64, 1, 64),
    timeBankBatchesInFlight: int('TIME_BANK_BATCHES_IN_FLIGHT', 1, 1, 64),
    enrolmentApplyPerMinute: int('ENROLMENT_APPLY_PER_MINUTE', 30, 1, 100_000),
    workerNice: int('WORKER_NICE', 10, 0, 19),
    stopDrainMs: int('STOP_DRAIN_MS', 1000, 0, 20_000),
    ...smsConfig(env, production, problems, int),
  };
  // Keys carry their Redis Cluster hash tag in braces after the prefix; a brace in the prefix would take its place.
  if (/[{}]/.test(config.queuePrefix)) problems.push('QUEUE_PREFIX must not contain { or }');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
