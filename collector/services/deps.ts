import type { Context } from '../context';

/** What the services need: routes pass their Context, the CLI its own config and models. */
export type ServiceDeps = Pick<Context, 'config' | 'models'>;
