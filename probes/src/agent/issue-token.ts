// Prints the probe token of a site, for its agent's config ("token"), from the
// NOC server's secret:
//   node probes/src/agent/issue-token.ts --secret-file data/secret.key --site da-bac
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { issueProbeToken } from '@noc/shared/probe-token';
import { siteSchema } from '@noc/shared/sites';

const { values } = parseArgs({ options: { 'secret-file': { type: 'string' }, site: { type: 'string' } } });
const secretFile = values['secret-file'];
const site = siteSchema.shape.id.safeParse(values.site);
if (!secretFile || !site.success) {
  console.error('usage: node probes/src/agent/issue-token.ts --secret-file <NOC secret.key> --site <site id>');
  process.exit(2);
}
const hex = (await readFile(secretFile, 'utf8')).trim();
if (!/^[0-9a-f]{64}$/.test(hex)) {
  console.error(`${secretFile} does not hold the NOC server's 32-byte hex secret`);
  process.exit(1);
}
console.log(issueProbeToken(Buffer.from(hex, 'hex'), site.data));
