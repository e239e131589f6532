// `npm start`: the embedded engine, the collector and the demo site in one process tree.
import { loadConfig } from '../collector/config';
import { createLogger } from '../collector/logger';
import { exitWithStartupError, stopOnSignals } from '../collector/server';
import { startCollectorService } from '../collector/service';
import { startDemoSite } from '../demo-site/server';

async function main(): Promise<void> {
  const started = Date.now();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const config = loadConfig();
  console.log('Starting Ashop Partners...');
  const collector = await startCollectorService(config, logger, (line) => console.log(line));
  const site = await startDemoSite({ port: config.sitePort, collectorUrl: collector.url }).catch(async (error: unknown) => {
    await collector.stop();
    throw error;
  });
  console.log(`
  Database engine  ${collector.engine.kind}${config.mongodbUri ? '' : ` (data in ${config.dataDir})`}
  Collector        ${collector.url}   (health: ${collector.url}/readyz)
  Demo site        ${site.url}
  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl-C to stop.
`);
  stopOnSignals(async () => {
    await new Promise<void>((done) => site.server.close(() => done()));
    site.server.closeAllConnections();
    await collector.stop();
  }, { info: (message) => console.log(message) });
}

main().catch(exitWithStartupError);
