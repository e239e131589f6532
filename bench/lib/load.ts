// Bounded HTTP load with autocannon: a fixed number of requests, stopped early at a time limit.
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Stop after this many requests... */
  amount: number;
  /** ...or after this many seconds, whichever comes first. */
  maxSeconds: number;
  requests: autocannon.Request[];
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
}

export interface LoadSummary {
  sent: number;
  /** 2xx answers. */
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Sent but still unanswered when the time limit stopped the load. */
  cutOff: number;
  durationMs: number;
  /** 2xx answers per second. */
  rps: number;
  /** Latency of 2xx answers, ms (autocannon keeps whole milliseconds). */
  p50: number;
  p99: number;
  statusCodes: Record<string, number>;
}

export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  let limit: NodeJS.Timeout | undefined;
  try {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: options.url,
          connections: options.connections,
          amount: options.amount,
          timeout: 10,
          method: options.method ?? 'GET',
          headers: options.headers ?? {},
          requests: options.requests,
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      limit = setTimeout(() => instance.stop(), options.maxSeconds * 1000);
    });
    const statusCodes: Record<string, number> = {};
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
    const durationMs = result.finish.getTime() - result.start.getTime();
    return {
      sent: result.requests.sent,
      ok: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      cutOff: Math.max(0, result.requests.sent - result['2xx'] - result.non2xx - result.errors),
      durationMs,
      rps: durationMs > 0 ? (result['2xx'] * 1000) / durationMs : 0,
      p50: result.latency.p50,
      p99: result.latency.p99,
      statusCodes,
    };
  } finally {
    clearTimeout(limit);
  }
}
