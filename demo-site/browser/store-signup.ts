// /signup: the store account is created by the site's backend first (it returns the customer ID
// and its server-side signature); then the SDK reports the signup with the visitor's referral.
import { site } from './api';
import { reportSignup } from './ashop-global';
import { $, busy, errorText, formValues, showStatus } from './dom';

interface CreatedStore {
  customerId: string;
  email: string;
  signature: string;
}

const form = $<HTMLFormElement>('#store-signup');

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void busy(form, async () => {
    const values = formValues(form);
    const apps = new FormData(form).getAll('apps').map(String);
    try {
      const store = await site<CreatedStore>('/api/stores', {
        body: {
          storeName: values.storeName,
          email: values.email,
          plan: values.plan,
          apps,
          design: values.design === 'yes',
        },
      });
      // The store exists whatever the tracking answers: a failed report must not fail the signup,
      // nor may a blocked SDK (the stub then queues the call forever) hold the page.
      const blocked = new Promise((resolve) => setTimeout(resolve, 3000));
      await Promise.race([reportSignup(store), blocked]).catch(() => undefined);
      form.reset();
      form.dataset.customerId = store.customerId;
      showStatus(form, `Your store is ready. Welcome aboard! (customer ${store.customerId})`, 'ok');
    } catch (error) {
      showStatus(form, errorText(error), 'error');
    }
  });
});
