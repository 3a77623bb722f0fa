// The SFU node's edges that face the sites, on a real SFU node process with
// its echo responder, a real NOC server and a real probe agent process: the
// status endpoints answer the NOC's token only (and the NOC's pollers send
// it); signalling and replication keep their own tokens; the bandwidth test
// takes only a site's probe token, one transfer at a time and so many a minute
// per site, and a refused test is logged by the probe, which goes on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { HealthReport } from '@noc/shared/health';
import type { HistoryLastAnswer } from '@noc/shared/history-query';
import type { MeetingRecord } from '@noc/shared/meeting';
import { ManagedProcess } from '@noc/shared/child-process';
import { issueNocToken, issueNodeToken, issueProbeToken } from '@noc/shared/probe-token';
import { sfuStatusApi } from '@noc/shared/sfu-status-api';
import { SignallingClient } from '@noc/shared/signalling-client';
import { waitFor } from '@noc/shared/wait';
import { measureBandwidth } from '../../probes/src/echo/bandwidth.ts';
import { BandwidthRefusedError } from '../../probes/src/echo/bandwidth-protocol.ts';
import { fetchAs } from '../fixtures/auth.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TITLE = 'Họp kín về nhân sự Đà Bắc';

let noc: NocFixture;
let sfu: SfuFixture;
let dir: Awaited<ReturnType<typeof tempDir>>;
let echoPort: number;
let control: SignallingClient;
let meetingId: string;
let secret: Buffer;

before(async () => {
  dir = await tempDir('sfu-edges');
  const sfuPort = await freePort();
  echoPort = await freePort();
  noc = await startTestNocServer({ sfuUrl: `http://127.0.0.1:${sfuPort}` });
  secret = noc.server.ctx.secret;
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile, nocUrl: noc.url, env: { SFU_ECHO_PORT: String(echoPort) } });
  control = await SignallingClient.connect(sfu.signallingUrl, sfu.token({ role: 'operator' }));
  meetingId = (await control.request('meeting.create', { kind: 'hop', title: TITLE, invitedSites: ['so-gddt', 'da-bac'] })).meetingId;
});

after(async () => {
  control?.close();
  await sfu?.stop();
  await noc?.stop();
  await dir?.remove();
});

describe("the SFU node's status endpoints", () => {
  const paths = Object.values(sfuStatusApi).map((r) => r.path);

  const get = async (path: string, authorization?: string) => {
    const res = await fetch(`${sfu.url}${path}`, authorization ? { headers: { authorization } } : {});
    const text = await res.text();
    return { status: res.status, text, type: res.headers.get('content-type'), challenge: res.headers.get('www-authenticate') };
  };

  test('without a token: 401 with a JSON error that says what to send, and nothing of the meetings', async () => {
    for (const path of [...paths, '/no-such-endpoint']) {
      for (const authorization of [undefined, 'Basic YWRtaW46YWRtaW4=', 'Bearer']) {
        const answer = await get(path, authorization);
        assert.equal(answer.status, 401, `${path} with ${authorization ?? 'no Authorization'}`);
        assert.equal(answer.type, 'application/json');
        assert.equal(answer.challenge, 'Bearer realm="sfu-status"');
        assert.deepEqual(JSON.parse(answer.text), {
          error: `missing token: the SFU node's status answers the NOC server only; send "Authorization: Bearer <the NOC server's token>"`,
        });
      }
    }
  });

  test("with any other token than the NOC's: 403 with a JSON error, and nothing of the meetings", async () => {
    const others = {
      'a probe token': issueProbeToken(secret, 'da-bac'),
      'an SFU node token': issueNodeToken(secret, 'main'),
      "an operator's access token": sfu.token({ role: 'operator' }),
      'a forged NOC token': `${issueNocToken(secret).slice(0, -3)}xyz`,
      'the NOC token of another secret': issueNocToken(Buffer.alloc(32, 7)),
    };
    for (const path of paths) {
      for (const [what, token] of Object.entries(others)) {
        const answer = await get(path, `Bearer ${token}`);
        assert.equal(answer.status, 403, `${path} with ${what}`);
        assert.deepEqual(JSON.parse(answer.text), {
          error: "the token is not the NOC server's: the SFU node's status answers the NOC only",
        });
        assert.ok(!answer.text.includes(TITLE) && !answer.text.includes(meetingId), `${path} with ${what}: ${answer.text}`);
      }
    }
  });

  test("with the NOC's token: every endpoint answers", async () => {
    const token = `Bearer ${issueNocToken(secret)}`;
    for (const path of paths) assert.equal((await get(path, token)).status, 200, path);
    assert.ok((await get('/meetings', token)).text.includes(TITLE));
    assert.equal((await get('/no-such-endpoint', token)).status, 404);
    const { carried } = await sfu.status('meetings');
    assert.deepEqual(
      carried.map((m) => m.title),
      [TITLE],
    );
  });

  test("the NOC's pollers read them with its token: the node is up and its meeting is listed", async () => {
    const admin = await noc.adminCookie();
    const health = await waitFor('the NOC to see the SFU node up', async () => {
      const report = (await (await fetch(`${noc.url}/api/health`)).json()) as HealthReport;
      return report.components.sfu.state === 'up' && report.components.sfu;
    });
    assert.match(health.detail, /^node main: \d+\/\d+ mediasoup workers/);
    const meetings = await waitFor('the meeting on the NOC', async () => {
      const answer = (await (await fetchAs(admin, `${noc.url}/api/meetings`)).json()) as { meetings: MeetingRecord[] };
      return answer.meetings.length > 0 && answer.meetings;
    });
    assert.deepEqual(
      meetings.map((m) => [m.id, m.title]),
      [[meetingId, TITLE]],
    );
  });

  test('a NOC server with another secret is refused, and says so in its health report', async () => {
    const stranger = await startTestNocServer({ sfuUrl: sfu.url });
    try {
      const report = await stranger.server.ctx.health.check();
      assert.equal(report.components.sfu.state, 'down');
      assert.match(report.components.sfu.detail, /answered 403: the token is not the NOC server's/);
      await stranger.server.ctx.meetings.poll();
      assert.deepEqual(stranger.server.ctx.meetings.meetings, [], 'it learns nothing of the meetings');
    } finally {
      await stranger.stop();
    }
  });

  test('signalling and replication keep their own tokens: the NOC token opens neither', async () => {
    const upgrade = async (path: string) => {
      const ws = new WebSocket(`${sfu.url.replace('http', 'ws')}${path}`);
      const [status] = await Promise.race([
        once(ws, 'unexpected-response').then(([, res]) => [(res as { statusCode: number }).statusCode]),
        once(ws, 'open').then(() => [101]),
        once(ws, 'close').then(() => [0]),
      ]);
      ws.terminate();
      return status;
    };
    assert.equal(await upgrade(`/replication?token=${issueNocToken(secret)}`), 401);
    // Signalling opens, says why it will not serve this token, and closes.
    const ws = new WebSocket(`${sfu.signallingUrl}?token=${issueNocToken(secret)}`);
    const messageSent = once(ws, 'message');
    const closed = once(ws, 'close');
    const [message] = (await messageSent) as [Buffer];
    const [code] = (await closed) as [number];
    assert.equal((JSON.parse(String(message)) as { error: { code: string } }).error.code, 'unauthorised');
    assert.equal(code, 4401);
    // The signalling token of the meeting still works.
    const site = await SignallingClient.connect(sfu.signallingUrl, sfu.token({ role: 'site', site: 'da-bac', meeting: meetingId }));
    site.close();
  });
});

describe("the echo responder's bandwidth test in the SFU node", () => {
  let agent: ManagedProcess & { log: () => Promise<string> };
  const tokenOf = (site: string) => issueProbeToken(secret, site);
  const bandwidth = (token: string) => measureBandwidth({ host: '127.0.0.1', port: echoPort, bytes: 200_000, token, timeoutMs: 10_000 });

  /** One request line on the TCP side; resolves with the responder's first line, the socket left open. */
  const ask = async (line: string): Promise<{ answer: string; socket: net.Socket }> => {
    const socket = net.connect({ host: '127.0.0.1', port: echoPort });
    await once(socket, 'connect');
    socket.write(line);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const onData = (chunk: Buffer): void => {
        text += String(chunk);
        if (!text.includes('\n')) return;
        socket.off('data', onData);
        resolve(text.slice(0, text.indexOf('\n')));
      };
      socket.on('data', onData);
      socket.once('error', reject);
      socket.once('end', () => resolve(text));
    });
    return { answer, socket };
  };

  before(async () => {
    const configFile = join(dir.path, 'agent.json');
    await writeFile(
      configFile,
      JSON.stringify({
        site: 'da-bac',
        token: tokenOf('da-bac'),
        nocUrl: noc.url,
        targets: { sfu: `127.0.0.1:${echoPort}` },
        link: { packetsPerSecond: 10, windowMs: 2000, replyTimeoutMs: 300, bandwidthBytes: 300_000 },
        spoolDir: 'spool',
        send: { intervalMs: 300 },
      }),
    );
    const logFile = join(dir.path, 'agent.log');
    const proc = ManagedProcess.start({
      name: 'agent-da-bac',
      command: process.execPath,
      args: ['probes/src/agent/index.ts', '--config', configFile],
      cwd: root,
      logFile,
      quiet: true,
    });
    agent = Object.assign(proc, { log: () => readFile(logFile, 'utf8').catch(() => '') });
  });
  after(async () => {
    await agent?.stop();
  });

  const last = async (field: string): Promise<number | undefined> => {
    const res = await fetchAs(await noc.adminCookie(), `${noc.url}/api/history/last?measurement=link&field=${field}&site=da-bac`);
    return ((await res.json()) as HistoryLastAnswer).values['da-bac']?.[1];
  };
  const logLines = async (pattern: RegExp) => (await agent.log()).split('\n').filter((l) => pattern.test(l));

  test('the UDP echo answers the probe without a token: its link samples arrive with a round trip', async () => {
    const rtt = await waitFor('a link sample with a round trip', async () => ((await last('rtt_ms')) ?? 0) > 0 && last('rtt_ms'), {
      timeoutMs: 15_000,
    }).catch(async (err: Error) => assert.fail(`${err.message}\n${await agent.log()}`));
    assert.ok(rtt! > 0 && rtt! < 300, `rtt ${rtt}`);
  });

  test("the probe's bandwidth test with its token: a sample on the NOC", async () => {
    agent.child.kill('SIGUSR2');
    const up = await waitFor('a bandwidth sample', async () => last('up_kbps'), { timeoutMs: 15_000 }).catch(async (err: Error) =>
      assert.fail(`${err.message}\n${await agent.log()}`),
    );
    assert.ok(up! > 0);
    assert.equal((await logLines(/\[link\] sfu 127\.0\.0\.1:\d+: bandwidth up [\d.]+ kbps, down [\d.]+ kbps/)).length, 1);
  });

  test('no token, a forged one, one of no site of the registry, the NOC token: refused with the reason', async () => {
    const refusals: string[] = [];
    for (const line of [
      'DOWN 1000\n',
      `DOWN 1000 ${tokenOf('da-bac').slice(0, -2)}zz\n`,
      `DOWN 1000 ${issueProbeToken(Buffer.alloc(32, 1), 'da-bac')}\n`,
      `UP 1000 ${tokenOf('atlantis')}\n`,
      `DOWN 1000 ${issueNocToken(secret)}\n`,
      `DOWN 99999999999 ${tokenOf('da-bac')}\n`,
      'GET / HTTP/1.1\n',
    ]) {
      const { answer, socket } = await ask(line);
      refusals.push(answer);
      socket.destroy();
    }
    assert.deepEqual(refusals, [
      `NO token missing probe token: send "DOWN 1000 <the site's probe token>"`,
      'NO token the probe token is not valid',
      'NO token the probe token is not valid',
      'NO token site "atlantis" is not in the site registry',
      'NO token the probe token is not valid',
      'NO request expected "UP <bytes> <probe token>" or "DOWN <bytes> <probe token>"',
      'NO request expected "UP <bytes> <probe token>" or "DOWN <bytes> <probe token>"',
    ]);
  });

  test("one test at a time per site: the probe's test while its site's runs is refused and logged; another site's runs", async () => {
    // An upload of da-bac that is granted and then sends nothing holds the site's slot.
    const held = await ask(`UP 1000000 ${tokenOf('da-bac')}\n`);
    try {
      assert.equal(held.answer, 'GO');
      const before = (await logLines(/bandwidth test refused/)).length;
      agent.child.kill('SIGUSR2');
      const [line] = await waitFor('the refusal in the probe log', async () => {
        const lines = (await logLines(/bandwidth test refused/)).slice(before);
        return lines.length > 0 && lines;
      });
      assert.match(
        line!,
        /\[site:da-bac\] \[link\] sfu 127\.0\.0\.1:\d+: bandwidth test refused \(busy\): a bandwidth test of site "da-bac" is running; one at a time per site$/,
      );
      await assert.rejects(bandwidth(tokenOf('da-bac')), (err) => err instanceof BandwidthRefusedError && err.reason === 'busy');
      const other = await bandwidth(tokenOf('mai-chau'));
      assert.ok(other.upKbps > 0 && other.downKbps > 0);
    } finally {
      held.socket.destroy();
    }
  });

  test('so many transfers a minute per site: then refused with when to try again; the probe logs it and goes on', async () => {
    // da-bac has had three transfers this minute (the probe's test and the held upload): three more, then no.
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(
        await bandwidth(tokenOf('da-bac')).then(
          () => 'measured',
          (err: Error) => (err instanceof BandwidthRefusedError ? `refused ${err.reason}` : `failed ${err.message}`),
        ),
      );
    }
    assert.deepEqual(outcomes, ['measured', 'refused rate', 'refused rate']);
    const { answer, socket } = await ask(`DOWN 1000 ${tokenOf('da-bac')}\n`);
    socket.destroy();
    assert.match(answer, /^NO rate site "da-bac" has started 6 transfers in the last minute \(a test is two\); try again in \d+ s$/);
    // Another site's quota is its own.
    assert.ok((await bandwidth(tokenOf('mai-chau'))).downKbps > 0);

    const before = (await logLines(/bandwidth test refused/)).length;
    agent.child.kill('SIGUSR2');
    const [line] = await waitFor('the refusal in the probe log', async () => {
      const lines = (await logLines(/bandwidth test refused/)).slice(before);
      return lines.length > 0 && lines;
    });
    assert.match(line!, /bandwidth test refused \(rate\): site "da-bac" has started 6 transfers in the last minute/);
    // The probe goes on: still running, its link samples still arriving.
    const seenAt = Date.now();
    await waitFor('a link sample after the refusal', async () => {
      const res = await fetchAs(await noc.adminCookie(), `${noc.url}/api/history/last?measurement=link&field=rtt_ms&site=da-bac`);
      const point = ((await res.json()) as HistoryLastAnswer).values['da-bac'];
      return point !== undefined && point[0] > seenAt;
    });
    assert.ok(agent.running, 'the probe agent still runs');
  });
});
