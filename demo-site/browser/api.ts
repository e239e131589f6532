// Calls to the collector through the site's /ashop/ proxy (same origin: no CORS), and to the
// site's own /api/. Errors carry the problem+json detail and field messages for the status line.

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    const fields = problem.errors?.map((error) => `${error.field} ${error.message}`).join('; ');
    super([problem.detail ?? problem.title ?? `Request failed (${problem.status})`, fields].filter(Boolean).join(': '));
  }
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string | null;
}

async function call<T>(url: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError({ status: response.status, ...(data as Omit<Problem, 'status'>) });
  return data as T;
}

/** The collector's API, e.g. collector('/v1/me'). */
export const collector = <T>(path: string, options?: CallOptions) => call<T>(`/ashop${path}`, options);

/** The site's own backend, e.g. site('/api/stores'). */
export const site = <T>(path: string, options?: CallOptions) => call<T>(path, options);

/** Downloads an authenticated file (CSV, JSON) as the browser's own download. */
export async function download(path: string, token: string, filename: string): Promise<void> {
  const response = await fetch(`/ashop${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Omit<Problem, 'status'>;
    throw new ApiError({ status: response.status, ...problem });
  }
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** JWTs live in sessionStorage: gone with the tab, never in a cookie the site could leak. */
export const session = {
  get: (role: 'partner' | 'admin') => sessionStorage.getItem(`ashop_${role}_token`),
  set: (role: 'partner' | 'admin', token: string) => sessionStorage.setItem(`ashop_${role}_token`, token),
  clear: (role: 'partner' | 'admin') => sessionStorage.removeItem(`ashop_${role}_token`),
};
