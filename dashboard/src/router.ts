import { createRouter, createWebHistory } from 'vue-router';
import WallPage from './pages/WallPage.vue';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/wall' },
    { path: '/wall', component: WallPage, meta: { theme: 'wall' } },
    // Desk pages load on demand: the wall screen never downloads mediasoup-client.
    { path: '/room', component: () => import('./pages/RoomPage.vue'), meta: { theme: 'desk' } },
    { path: '/control', component: () => import('./pages/ControlPage.vue'), meta: { theme: 'desk' } },
  ],
});
