// The directory's contacts (admin only): list, add, change, remove. A contact
// names a site of the registry; bad input is a 400 naming the field. Each
// change goes to the audit log.
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';

export function adminDirectoryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { contacts } = ctx;
  const { audit } = ctx.incidents;

  apiRoute(app, 'directory.list', () => ({ contacts: contacts.list() }));

  apiRoute(app, 'directory.create', ({ body }, req) => {
    const contact = contacts.create(body);
    audit.record(sessionOf(req).user.username, 'contact.create', `contact:${contact.id}`, body);
    return { contact };
  });

  apiRoute(app, 'directory.update', ({ params, body }, req) => {
    const before = contacts.get(params.id);
    const contact = contacts.update(params.id, body);
    audit.record(sessionOf(req).user.username, 'contact.update', `contact:${contact.id}`, { from: before, to: body });
    return { contact };
  });

  apiRoute(app, 'directory.delete', ({ params }, req) => {
    const removed = contacts.remove(params.id);
    audit.record(sessionOf(req).user.username, 'contact.delete', `contact:${params.id}`, {
      name: removed.name,
      email: removed.email,
      site: removed.site,
    });
  });
}
