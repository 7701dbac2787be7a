import type { AppConfig } from '../config/app-config';
import { ConfigError, loadConfig } from '../config/app-config';
import { createLogger, JsonLogger } from '../logging/logger';
import { bindRedisToDatabase } from '../redis/database-binding';

/**
 * The first steps of a long-running program (the API or the worker): its configuration (an
 * invalid one ends the process with its one-line reason, exit 1), its logger, and the check,
 * before any work, that the Redis state under the prefix belongs to this database (or to none yet).
 */
export async function startProgram(name: 'api' | 'worker'): Promise<{ config: AppConfig; logger: JsonLogger }> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = new JsonLogger(createLogger(config.logLevel, name));
  const binding = await bindRedisToDatabase(config);
  logger.log({ msg: 'Redis state is bound to this database', ...binding, prefix: config.queuePrefix }, 'Bootstrap');
  return { config, logger };
}
