// What one site's probe reports each second, as the ingest and scale
// benchmarks send it: a `link` sample per target and a `media` sample per
// stream, the tag values read off the metrics schema.
import { tagSchemas } from '@noc/shared/metrics';

export const LINK_TARGETS = tagSchemas.link.shape.target.options;
export const MEDIA_STREAMS = tagSchemas.media.shape.kind.options.flatMap((kind) =>
  tagSchemas.media.shape.direction.options.map((direction) => [kind, direction] as const),
);
