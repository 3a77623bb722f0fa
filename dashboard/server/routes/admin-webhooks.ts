// Webhooks (admin only): where incidents are sent, their delivery log, a test
// delivery. The signing key is write-only: it is never sent back.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { idParam } from '../validation.ts';

export function adminWebhookRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { webhooks, audit } = ctx.incidents;
  /** An unknown webhook is a 404 before its body is looked at. */
  const known = { preValidation: async (req: FastifyRequest) => void hookId(req) };
  const hookId = (req: FastifyRequest): number => {
    const id = idParam(req, 'webhook');
    if (!webhooks.get(id)) throw new HttpError(404, `no webhook #${id}`);
    return id;
  };

  apiRoute(app, 'webhooks.list', () => ({ webhooks: webhooks.list() }));

  apiRoute(app, 'webhooks.create', ({ body }, req) => {
    const hook = webhooks.create(body);
    audit.record(sessionOf(req).user.username, 'webhook.create', `webhook:${hook.id}`, { name: hook.name, url: hook.url });
    return { webhook: hook };
  });

  apiRoute(
    app,
    'webhooks.update',
    ({ params: { id }, body: patch }, req) => {
      const hook = webhooks.update(id, patch);
      if (!hook) throw new HttpError(404, `no webhook #${id}`);
      audit.record(sessionOf(req).user.username, 'webhook.update', `webhook:${id}`, {
        ...patch,
        secret: patch.secret ? '(changed)' : undefined,
      });
      return { webhook: hook };
    },
    { options: known },
  );

  apiRoute(
    app,
    'webhooks.delete',
    ({ params: { id } }, req) => {
      webhooks.remove(id);
      audit.record(sessionOf(req).user.username, 'webhook.delete', `webhook:${id}`);
    },
    { options: known },
  );

  apiRoute(app, 'webhooks.deliveries', ({ params: { id } }) => ({ deliveries: webhooks.deliveries(id) }), { options: known });

  apiRoute(
    app,
    'webhooks.test',
    ({ params: { id } }) => {
      if (webhooks.notify('test', null, Date.now(), id) === 0) throw new HttpError(409, `webhook #${id} is disabled; enable it to test it`);
      return { queued: 1 };
    },
    { options: known },
  );
}
