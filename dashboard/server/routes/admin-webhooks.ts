// Webhooks (admin only): where incidents are sent, their delivery log, a test
// delivery, and the audit log of what people changed. The signing key is
// write-only: it is never sent back.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { webhookInputSchema, webhookPatchSchema } from '@noc/shared/incidents';
import { ADMIN, sessionOf } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { idParam, parseBody } from '../validation.ts';

const access = { roles: ADMIN };

export function adminWebhookRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { webhooks, audit } = ctx.incidents;
  const hookId = (req: FastifyRequest): number => {
    const id = idParam(req, 'webhook');
    if (!webhooks.get(id)) throw new HttpError(404, `no webhook #${id}`);
    return id;
  };

  app.get('/api/admin/webhooks', { config: { access } }, async () => ({ webhooks: webhooks.list() }));

  app.post('/api/admin/webhooks', { config: { access } }, async (req, reply) => {
    const hook = webhooks.create(parseBody(webhookInputSchema, req, 'invalid webhook'));
    audit.record(sessionOf(req).user.username, 'webhook.create', `webhook:${hook.id}`, { name: hook.name, url: hook.url });
    return reply.code(201).send({ webhook: hook });
  });

  app.patch('/api/admin/webhooks/:id', { config: { access } }, async (req) => {
    const id = hookId(req);
    const patch = parseBody(webhookPatchSchema, req, 'invalid change');
    const hook = webhooks.update(id, patch);
    audit.record(sessionOf(req).user.username, 'webhook.update', `webhook:${id}`, {
      ...patch,
      secret: patch.secret ? '(changed)' : undefined,
    });
    return { webhook: hook };
  });

  app.delete('/api/admin/webhooks/:id', { config: { access } }, async (req, reply) => {
    const id = hookId(req);
    webhooks.remove(id);
    audit.record(sessionOf(req).user.username, 'webhook.delete', `webhook:${id}`);
    return reply.code(204).send();
  });

  app.get('/api/admin/webhooks/:id/deliveries', { config: { access } }, async (req) => ({ deliveries: webhooks.deliveries(hookId(req)) }));

  app.post('/api/admin/webhooks/:id/test', { config: { access } }, async (req, reply) => {
    const id = hookId(req);
    if (webhooks.notify('test', null, Date.now(), id) === 0) throw new HttpError(409, `webhook #${id} is disabled; enable it to test it`);
    return reply.code(202).send({ queued: 1 });
  });

  app.get('/api/admin/audit', { config: { access } }, async () => ({ entries: audit.recent() }));
}
