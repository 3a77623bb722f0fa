import './no-eval.ts';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { setUnauthorisedHandler } from './api.ts';
import { i18n } from './i18n/index.ts';
import { router } from './router.ts';
import { useSessionStore } from './stores/session.ts';

const pinia = createPinia();
createApp(App).use(pinia).use(i18n).use(router).mount('#app');

// A request refused with 401 while signed in: the session ended (expired,
// signed out elsewhere, account disabled). Back to the sign-in page, then here.
setUnauthorisedHandler(() => {
  const session = useSessionStore(pinia);
  if (!session.user) return;
  session.expire();
  const here = router.currentRoute.value;
  if (here.name === 'signin') return;
  void router.push({ name: 'signin', query: { next: here.fullPath, reason: 'expired' } });
});
