// Which simulcast layer of each camera a receiver gets (sfu/src/meetings/camera-layers.ts):
// the camera it shows large high, every other low, content presented makes them all low.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MeetingLayout } from '@noc/shared/meeting';
import { cameraLayer, LARGE_PRIORITY, TILE_PRIORITY, type CameraView } from '../../sfu/src/meetings/camera-layers.ts';

const SITES = ['da-bac', 'mai-chau', 'tan-lac'];

function view(
  layout: Partial<MeetingLayout>,
  floor: string | null = null,
  opts: { cameras?: string[]; content?: boolean } = {},
): CameraView {
  return {
    state: { layout: { featuredSite: null, grid: 4, followSpeaker: true, ...layout }, floor, invitedSites: SITES },
    cameras: new Set(opts.cameras ?? SITES),
    content: opts.content ?? false,
  };
}

/** The spatial layer of every site's two-layer camera for a receiver. */
const layers = (v: CameraView, self: string | null) =>
  Object.fromEntries(SITES.filter((s) => s !== self).map((s) => [s, cameraLayer(v, self, s, 2).spatialLayer]));

test('the featured site is high and first in line for bandwidth, every other camera low', () => {
  const v = view({ featuredSite: 'mai-chau' }, 'da-bac');
  assert.deepEqual(layers(v, null), { 'da-bac': 0, 'mai-chau': 1, 'tan-lac': 0 });
  assert.deepEqual(layers(v, 'tan-lac'), { 'da-bac': 0, 'mai-chau': 1 });
  assert.deepEqual(layers(v, 'mai-chau'), { 'da-bac': 0, 'tan-lac': 0 }, 'a site shows its own camera large: the others are tiles');
  assert.equal(cameraLayer(v, null, 'mai-chau', 2).priority, LARGE_PRIORITY);
  assert.equal(cameraLayer(v, null, 'da-bac', 2).priority, TILE_PRIORITY);
  assert.ok(LARGE_PRIORITY > TILE_PRIORITY);
});

test('with nothing featured, the site with the floor is high', () => {
  assert.deepEqual(layers(view({}, 'tan-lac'), null), { 'da-bac': 0, 'mai-chau': 0, 'tan-lac': 1 });
});

test('with nothing featured and no floor, each receiver has the first other site that sends a picture high', () => {
  assert.deepEqual(layers(view({}), null), { 'da-bac': 1, 'mai-chau': 0, 'tan-lac': 0 });
  assert.deepEqual(layers(view({}), 'da-bac'), { 'mai-chau': 1, 'tan-lac': 0 });
  assert.deepEqual(layers(view({}, null, { cameras: ['tan-lac'] }), null), { 'da-bac': 0, 'mai-chau': 0, 'tan-lac': 1 });
});

test('while content is presented, every camera is low', () => {
  assert.deepEqual(layers(view({ featuredSite: 'mai-chau' }, 'mai-chau', { content: true }), null), {
    'da-bac': 0,
    'mai-chau': 0,
    'tan-lac': 0,
  });
});

test('a camera with one layer is asked for that layer', () => {
  assert.equal(cameraLayer(view({ featuredSite: 'mai-chau' }), null, 'mai-chau', 1).spatialLayer, 0);
  assert.equal(cameraLayer(view({ featuredSite: 'mai-chau' }), null, 'mai-chau', 3).spatialLayer, 2);
});
