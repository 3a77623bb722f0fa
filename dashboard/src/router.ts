// Routes and who may open them. Every route but the sign-in page needs a
// session, except the room and control pages opened with a `?token=` link
// (room PCs at the sites have no account). A wall screen signs in with the
// `?display=<token>` of its link, which is then removed from the address.
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteLocationRaw } from 'vue-router';
import type { UserRole } from '@noc/shared/auth';
import {
  ADMIN_ROLES,
  CONTROL_ROLES,
  INCIDENT_ROLES,
  LOAD_TEST_ROLES,
  MAINTENANCE_ROLES,
  PLAN_ROLES,
  REPORT_ROLES,
  ROOM_ROLES,
  RULES_ROLES,
  SITE_ROLES,
  WALL_ROLES,
  // --- checklists
  READINESS_ROLES,
  homeOf,
  refusal,
  safeNext,
} from './access.ts';
import { reasonOf } from './api.ts';
import { ensureSessionAccessToken, hasLinkToken } from './composables/useAccessToken.ts';
import WallPage from './pages/WallPage.vue';
import { useSessionStore } from './stores/session.ts';

declare module 'vue-router' {
  interface RouteMeta {
    /** Roles that may open the page; a route without roles and without `public` is refused to everyone. */
    roles?: readonly UserRole[];
    /** Open without a session. */
    public?: boolean;
    /** The route parameter naming a site: a technician may open only its own. */
    siteParam?: string;
    /** Desk pages that also open with an access token link (`?token=`), kept per scope. */
    tokenScope?: 'room' | 'control';
    /** `/`: sends each role to its own page. */
    home?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', component: { render: () => null }, meta: { home: true } },
    { path: '/signin', name: 'signin', component: () => import('./pages/SignInPage.vue'), meta: { public: true } },
    { path: '/wall', name: 'wall', component: WallPage, meta: { roles: WALL_ROLES } },
    // Desk pages load on demand: the wall screen never downloads mediasoup-client.
    { path: '/site/:id', name: 'site', component: () => import('./pages/SitePage.vue'), meta: { roles: SITE_ROLES, siteParam: 'id' } },
    // An incident's site is known only once it is read: the server refuses a technician another site's.
    { path: '/incidents', name: 'incidents', component: () => import('./pages/IncidentsPage.vue'), meta: { roles: INCIDENT_ROLES } },
    { path: '/incidents/:id', name: 'incident', component: () => import('./pages/IncidentPage.vue'), meta: { roles: INCIDENT_ROLES } },
    {
      path: '/maintenance',
      name: 'maintenance',
      component: () => import('./pages/MaintenancePage.vue'),
      meta: { roles: MAINTENANCE_ROLES },
    },
    {
      path: '/load-tests',
      name: 'load-tests',
      component: () => import('./pages/LoadTestPage.vue'),
      meta: { roles: LOAD_TEST_ROLES },
    },
    // ---- Meeting plans (Điều 7) ----
    { path: '/plans', name: 'plans', component: () => import('./pages/PlansPage.vue'), meta: { roles: PLAN_ROLES } },
    // --- checklists
    {
      path: '/readiness',
      name: 'readiness',
      component: () => import('./pages/ReadinessPage.vue'),
      meta: { roles: READINESS_ROLES },
    },
    // ---- reports ----
    { path: '/reports', name: 'reports', component: () => import('./pages/ReportsPage.vue'), meta: { roles: REPORT_ROLES } },
    { path: '/rules', name: 'rules', component: () => import('./pages/RulesPage.vue'), meta: { roles: RULES_ROLES } },
    { path: '/admin', name: 'admin', component: () => import('./pages/AdminPage.vue'), meta: { roles: ADMIN_ROLES } },
    // ---- The directory and the audit log (admins) ----
    { path: '/directory', name: 'directory', component: () => import('./pages/DirectoryPage.vue'), meta: { roles: ADMIN_ROLES } },
    { path: '/audit', name: 'audit', component: () => import('./pages/AuditPage.vue'), meta: { roles: ADMIN_ROLES } },
    { path: '/room', name: 'room', component: () => import('./pages/RoomPage.vue'), meta: { roles: ROOM_ROLES, tokenScope: 'room' } },
    {
      path: '/control',
      name: 'control',
      component: () => import('./pages/ControlPage.vue'),
      meta: { roles: CONTROL_ROLES, tokenScope: 'control' },
    },
    // Unknown paths, and known ones this user may not open (shown at their own address).
    { path: '/:pathMatch(.*)*', name: 'problem', component: () => import('./components/nav/ProblemPage.vue'), meta: { public: true } },
  ],
});

/** Shows "access denied" at the address that was asked for. */
const denied = (to: RouteLocationNormalized): RouteLocationRaw => ({
  name: 'problem',
  params: { pathMatch: to.path.slice(1).split('/') },
  query: to.query,
  hash: to.hash,
});

router.beforeEach(async (to) => {
  const session = useSessionStore();

  const display = to.query.display;
  if (typeof display === 'string' && display) {
    const { display: _display, ...query } = to.query;
    try {
      await session.signInDisplay(display);
    } catch (err) {
      return { name: 'signin', query: { reason: 'display', detail: reasonOf(err) } };
    }
    return { path: to.path, query, hash: to.hash, replace: true };
  }

  if (to.meta.public) {
    if (to.name !== 'signin') return true;
    const user = await session.load();
    return user ? (safeNext(to.query.next) ?? homeOf(user)) : true;
  }

  // A room PC or a control desk opened with a link needs no session.
  const scope = to.meta.tokenScope;
  if (scope && (typeof to.query.token === 'string' || hasLinkToken(scope))) return true;

  const user = await session.load();
  if (!user) return { name: 'signin', query: { next: to.fullPath } };
  if (to.meta.home) return homeOf(user);

  const param = to.meta.siteParam ? to.params[to.meta.siteParam] : undefined;
  if (refusal(user, to.meta.roles ?? [], typeof param === 'string' ? param : undefined)) return denied(to);

  if (scope) {
    try {
      await ensureSessionAccessToken(scope);
    } catch (err) {
      // The page says it has no token; the reason goes to the console for whoever looks.
      console.warn(`no signalling token for ${to.path}:`, reasonOf(err));
    }
  }
  return true;
});
