// The metrics schema (shared/src/metrics.ts) as the query builders read it: a
// measurement's fields and tags, typed so that a query naming a field its
// measurement lacks does not compile.
import type { z } from 'zod';
import { fieldSchemas, tagSchemas, type Measurement } from '@noc/shared/metrics';

export type FieldOf<M extends Measurement> = keyof z.infer<(typeof fieldSchemas)[M]> & string;
export type TagOf<M extends Measurement> = (keyof z.infer<(typeof tagSchemas)[M]> & string) | 'site';

/** Measurements whose samples carry the `site` tag (stamped by the gateway, or the NOC's own per-site figures). */
const SITE_TAGGED: readonly Measurement[] = ['link', 'media', 'power', 'env', 'probe', 'quality'];

export const fieldsOf = (m: Measurement): string[] => Object.keys(fieldSchemas[m].shape);

export const tagsOf = (m: Measurement): string[] => [...Object.keys(tagSchemas[m].shape), ...(SITE_TAGGED.includes(m) ? ['site'] : [])];
