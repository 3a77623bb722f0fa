import { createRouter, createWebHistory } from 'vue-router';
import WallPage from './pages/WallPage.vue';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/wall' },
    { path: '/wall', component: WallPage, meta: { theme: 'wall' } },
  ],
});
