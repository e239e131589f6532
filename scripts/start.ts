// `npm start`: the embedded engine, the collector and the demo site in one process tree, with a
// demo operator login and server key made on first start (printed below).
import { loadConfig } from '../collector/config';
import { localUrlOf } from '../collector/listen';
import { createLogger } from '../collector/logger';
import { exitWithStartupError, stopOnSignals } from '../collector/server';
import { startCollectorService } from '../collector/service';
import { startDemoSite } from '../demo-site/server';
import { ensureDemoBanners, ensureDemoCredentials } from '../demo-site/setup';

async function main(): Promise<void> {
  const started = Date.now();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const config = loadConfig();
  console.log('Starting Ashop Partners...');
  const collector = await startCollectorService(config, logger, (line) => console.log(line));
  const startSite = async () => {
    const { models } = collector.collector.context;
    const credentials = await ensureDemoCredentials(models, config.dataDir, config.serverKey);
    await ensureDemoBanners(models);
    const site = await startDemoSite({
      port: config.sitePort,
      collectorUrl: localUrlOf(config.host, config.port),
      config,
      connection: collector.connection,
      models,
      serverKey: credentials.serverKey,
      logger,
    });
    return { site, credentials };
  };
  const { site, credentials } = await startSite().catch(async (error: unknown) => {
    await collector.stop();
    throw error;
  });
  console.log(`
  Database engine  ${collector.engine.kind}${config.mongodbUri ? '' : ` (data in ${config.dataDir})`}
  Collector        ${collector.url}   (health: ${collector.url}/readyz)
  Demo site        ${site.url}
    Marketing      ${site.url}/pricing#a_aid=<partner ID>   (any page takes partner links)
    Partners       ${site.url}/partners/                    (sign up, then confirm in the mailbox)
    Dev mailbox    ${site.url}/mail/
    Console        ${site.url}/admin/   login ${credentials.adminEmail} / ${credentials.adminPassword}
  Listening on ${config.host}${config.host === '127.0.0.1' ? ' only (set HOST=0.0.0.0 to open the demo to the network)' : ''}; the dev mailbox answers this machine only.
  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl-C to stop.
`);
  stopOnSignals(
    async () => {
      await site.close();
      await collector.stop();
    },
    { info: (message) => console.log(message) },
  );
}

main().catch(exitWithStartupError);
