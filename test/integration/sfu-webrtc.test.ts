// The path real endpoints take: Chromium completes ICE and DTLS with a
// WebRtcTransport of a real mediasoup worker and sends its fake camera, and the
// worker counts the packets. (A worker whose DTLS is broken crashes here.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import type { types } from 'mediasoup';
import type { Browser } from 'playwright-core';
import { waitFor } from '@noc/shared/wait';
import { readSfuConfig } from '../../sfu/src/config.ts';
import { SfuNode } from '../../sfu/src/sfu-node.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { serveWebrtcPage } from '../fixtures/webrtc-page/serve.ts';

let node: SfuNode;
let browser: Browser;
let page: Awaited<ReturnType<typeof serveWebrtcPage>>;

before(async () => {
  node = await SfuNode.create(readSfuConfig({ SFU_RTC_MIN_PORT: '41000', SFU_RTC_MAX_PORT: '41999' }));
  page = await serveWebrtcPage();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await page?.stop();
  node?.close();
});

test('a mediasoup worker starts and a router is created', async () => {
  const router = await node.createRouter();
  const status = node.status();
  assert.equal(status.workers.length, availableParallelism(), 'one worker per core');
  assert.ok(status.workers.every((w) => !w.died && w.pid > 0));
  assert.equal(
    status.workers.reduce((n, w) => n + w.routers, 0),
    1,
  );
  assert.ok(router.rtpCapabilities.codecs?.some((c) => c.mimeType === 'video/VP8'));
  router.close();
  assert.equal(
    node.status().workers.reduce((n, w) => n + w.routers, 0),
    0,
  );
});

test('Chromium completes ICE and DTLS and sends a fake camera that the worker counts', async () => {
  const router = await node.createRouter();
  const transport = await router.createWebRtcTransport({
    listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }],
  });
  let producer: types.Producer | undefined;
  const tab = await browser.newPage();
  const consoleLines: string[] = [];
  tab.on('console', (m) => consoleLines.push(m.text()));
  await tab.exposeFunction('nocSignal', async (method: string, data: Record<string, unknown>) => {
    if (method === 'join') {
      return {
        routerRtpCapabilities: router.rtpCapabilities,
        transport: {
          id: transport.id,
          iceParameters: transport.iceParameters,
          iceCandidates: transport.iceCandidates,
          dtlsParameters: transport.dtlsParameters,
        },
      };
    }
    if (method === 'connect') {
      await transport.connect({ dtlsParameters: data.dtlsParameters as types.DtlsParameters });
      return {};
    }
    if (method === 'produce') {
      producer = await transport.produce({
        kind: data.kind as types.MediaKind,
        rtpParameters: data.rtpParameters as types.RtpParameters,
      });
      return { id: producer.id };
    }
    throw new Error(`unknown method ${method}`);
  });
  try {
    await tab.goto(page.url);
    const producerId = await tab.evaluate('window.sendCamera()');
    assert.equal(producerId, producer?.id);
    await waitFor(
      'the worker to count 30 video packets',
      async () => {
        const stats = await producer!.getStats();
        return stats.reduce((n, s) => n + s.packetCount, 0) >= 30;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    assert.equal(transport.dtlsState, 'connected');
    assert.ok(['connected', 'completed'].includes(transport.iceState), transport.iceState);
    assert.ok(
      node.status().workers.every((w) => !w.died),
      'the worker must survive the DTLS handshake',
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\nbrowser console:\n${consoleLines.join('\n')}`, { cause: err });
  } finally {
    await tab.close();
    router.close();
  }
});
