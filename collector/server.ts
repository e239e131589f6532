// `npm run collector`: the collector alone (with the embedded engine unless MONGODB_URI is set).
import { ConfigError, loadConfig } from './config';
import { EngineUnavailableError } from './db/engine';
import { createLogger } from './logger';
import { startCollectorService } from './service';

export async function main(): Promise<void> {
  const logger = createLogger();
  const config = loadConfig();
  const service = await startCollectorService(config, logger);
  logger.info(`collector listening on ${service.url}`);
  stopOnSignals(service.stop, logger);
}

/** SIGINT/SIGTERM: graceful stop, then exit; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>, logger: { info(msg: string): void }): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info(`${signal}: stopping`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Start-up failures that are the user's to fix get one clear sentence, not a stack trace. */
export function exitWithStartupError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof EngineUnavailableError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
}

if (require.main === module) main().catch(exitWithStartupError);
