// Webhooks (admin only): where incidents are sent, their delivery log, a test
// delivery, and the audit log of what people changed. The signing key is
// write-only: it is never sent back.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { webhookInputSchema, webhookPatchSchema } from '@noc/shared/incidents';
import { ADMIN, sessionOf } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { zodToHttpError } from '../validation.ts';

const access = { roles: ADMIN };

export function adminWebhookRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { webhooks, audit } = ctx.incidents;
  const hookId = (req: FastifyRequest): number => {
    const raw = (req.params as { id: string }).id;
    const hook = /^[1-9][0-9]{0,15}$/.test(raw) ? webhooks.get(Number(raw)) : null;
    if (!hook) throw new HttpError(404, `no webhook #${raw}`);
    return hook.id;
  };

  app.get('/api/admin/webhooks', { config: { access } }, async () => ({ webhooks: webhooks.list() }));

  app.post('/api/admin/webhooks', { config: { access } }, async (req, reply) => {
    const parsed = webhookInputSchema.safeParse(req.body);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid webhook');
    const hook = webhooks.create(parsed.data);
    audit.record(sessionOf(req).user.username, 'webhook.create', `webhook:${hook.id}`, { name: hook.name, url: hook.url });
    return reply.code(201).send({ webhook: hook });
  });

  app.patch('/api/admin/webhooks/:id', { config: { access } }, async (req) => {
    const id = hookId(req);
    const parsed = webhookPatchSchema.safeParse(req.body);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid change');
    const hook = webhooks.update(id, parsed.data);
    audit.record(sessionOf(req).user.username, 'webhook.update', `webhook:${id}`, { ...parsed.data, secret: parsed.data.secret ? '(changed)' : undefined });
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
