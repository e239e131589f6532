// Calls to the collector through the site's /ashop/ proxy (same origin: no CORS), and to the
// site's own /api/. Errors carry the problem+json detail and field messages for the status line.

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** Names of API fields as the forms label them. */
const fieldLabels: Record<string, string> = {
  payoutEmail: 'PayPal email',
  currentPassword: 'Current password',
  newPassword: 'New password',
  bannerId: 'Banner ID',
  imageUrl: 'Image URL',
  targetPath: 'Target page',
  altText: 'Alt text',
  idempotencyKey: 'Reference',
  availableAt: 'Payable from',
  commissionRate: 'Rate',
  asOf: 'As of',
};

function fieldLabel(field: string): string {
  const known = fieldLabels[field];
  if (known) return known;
  const words = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A sentence a person can read: field problems as "Email must be an email address." (the generic
 * "invalid fields" detail adds nothing then), otherwise the problem's detail.
 */
export function problemText(problem: Problem): string {
  if (problem.errors?.length) {
    return problem.errors
      .map((error) => {
        const label = error.field === '(body)' ? 'The form' : fieldLabel(error.field);
        // Our messages continue the field name ("must be …"); a library's stand alone ("Invalid …").
        const sentence = /^[A-Z]/.test(error.message)
          ? `${label}: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`
          : `${label} ${error.message}`;
        return sentence.endsWith('.') ? sentence : `${sentence}.`;
      })
      .join(' ');
  }
  return problem.detail ?? problem.title ?? `The request failed (${problem.status}).`;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problemText(problem));
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
