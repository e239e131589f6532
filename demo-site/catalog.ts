// What Ashop Commerce sells: the price list shared by the pricing page, the store signup form and
// the monthly billing run. Amounts are minor units (US cents).

export interface Plan {
  id: string;
  name: string;
  monthly: number;
  pitch: string;
  features: string[];
}

export interface App {
  id: string;
  name: string;
  monthly: number;
}

export const plans: Plan[] = [
  {
    id: 'starter',
    name: 'Starter',
    monthly: 2900,
    pitch: 'Everything to open your first store.',
    features: ['Online store and checkout', 'Up to 100 products', 'Card and PayPal payments', 'Email support'],
  },
  {
    id: 'growth',
    name: 'Growth',
    monthly: 7900,
    pitch: 'For stores that sell every day.',
    features: ['Unlimited products', 'Abandoned-cart emails', 'Discount codes', 'Priority support'],
  },
  {
    id: 'scale',
    name: 'Scale',
    monthly: 29900,
    pitch: 'Several brands, teams and markets.',
    features: ['Up to 5 storefronts', 'Staff accounts and roles', 'Multi-currency', 'Dedicated manager'],
  },
];

export const apps: App[] = [
  { id: 'reviews', name: 'Product reviews', monthly: 900 },
  { id: 'email', name: 'Email marketing', monthly: 1900 },
  { id: 'subscriptions', name: 'Subscriptions', monthly: 2500 },
];

/** The one-off store design service, billed with the first invoice (earns no commission). */
export const designService = { id: 'design', name: 'Store design service', price: 25000 };

export function findPlan(id: string): Plan | undefined {
  return plans.find((plan) => plan.id === id);
}

export function findApp(id: string): App | undefined {
  return apps.find((app) => app.id === id);
}
