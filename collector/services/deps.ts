import type { Context } from '../context';

/**
 * What the services need: routes pass their Context, the CLI its own config and models. The CLI has
 * no tracking services (its process caches no partner and queues no counter), so services use them
 * only when present.
 */
export type ServiceDeps = Pick<Context, 'config' | 'models'> & Partial<Pick<Context, 'tracking'>>;
