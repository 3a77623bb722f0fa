// The meeting client's states and transitions as pure logic: the reconnection
// waits and nodes, the meeting joined again, and events a state does not expect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IllegalTransitionError, MeetingMachine, type MeetingClientState } from '../../dashboard/src/media/meeting-machine.ts';

const T = 1_000_000;

function connectedMachine(twoNodes: boolean): { machine: MeetingMachine; seen: MeetingClientState[] } {
  const seen: MeetingClientState[] = [];
  const machine = new MeetingMachine((s) => seen.push(s));
  machine.start('main');
  machine.configured(twoNodes);
  machine.opened();
  return { machine, seen };
}

test('a page connects, joins, and every change of state is reported', () => {
  const { machine, seen } = connectedMachine(true);
  machine.joinStarted('m1', false);
  machine.joined('peer-1');
  assert.deepEqual(
    seen.map((s) => s.kind),
    ['loading', 'connecting', 'connected', 'joining', 'joined'],
  );
  assert.deepEqual(machine.state, { kind: 'joined', node: 'main', meetingId: 'm1', peerId: 'peer-1' });
});

test('one node: a lost connection waits 1, 2, 4, 8, then 15 s, on the same node, and joins the meeting again', () => {
  const { machine } = connectedMachine(false);
  machine.joinStarted('m1', false);
  machine.joined('peer-1');
  const lost = machine.lost(T);
  assert.deepEqual(lost, { kind: 'reconnecting', node: 'main', attempt: 1, retryAt: T + 1000, rejoin: 'm1' });
  const waits = [1000];
  for (let i = 0; i < 5; i++) {
    const connecting = machine.retry();
    assert.equal(connecting.kind, 'connecting');
    assert.equal(connecting.kind === 'connecting' && connecting.rejoin, 'm1');
    const r = machine.connectFailed(T);
    assert.equal(r.node, 'main');
    waits.push(r.retryAt - T);
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 15_000, 15_000]);
  // A success starts the table again.
  machine.retry();
  machine.opened();
  assert.equal(machine.lost(T).retryAt, T + 1000);
});

test('two nodes: the other node at once, then back and forth with the waits from 2 s', () => {
  const { machine } = connectedMachine(true);
  const first = machine.lost(T);
  assert.deepEqual(first, { kind: 'reconnecting', node: 'backup', attempt: 1, retryAt: T, rejoin: null });
  const tried: [string, number][] = [];
  for (let i = 0; i < 4; i++) {
    machine.retry();
    const r = machine.connectFailed(T);
    tried.push([r.node, r.retryAt - T]);
  }
  assert.deepEqual(tried, [
    ['main', 2000],
    ['backup', 4000],
    ['main', 8000],
    ['backup', 15_000],
  ]);
});

test('a failed read of the node addresses is tried again after 1 s, reading them first', () => {
  const machine = new MeetingMachine();
  assert.deepEqual(machine.start('main'), { kind: 'loading', node: 'main', attempt: 0 });
  const failed = machine.configFailed(T);
  assert.deepEqual(failed, { kind: 'reconnecting', node: 'main', attempt: 1, retryAt: T + 1000, rejoin: null });
  // Without the node addresses, the retry reads them first.
  assert.deepEqual(machine.retry(), { kind: 'loading', node: 'main', attempt: 1 });
  assert.deepEqual(machine.configured(false), { kind: 'connecting', node: 'main', attempt: 1, rejoin: null });
});

test('without a backup node, the first attempt goes to the main node whatever node was asked', () => {
  const machine = new MeetingMachine();
  machine.start('backup');
  assert.equal(machine.configured(false).node, 'main');
  const two = new MeetingMachine();
  two.start('backup');
  assert.equal(two.configured(true).node, 'backup');
});

test('a meeting being joined again is joined again after a lost connection; one first being joined is not', () => {
  const { machine } = connectedMachine(false);
  machine.joinStarted('m1', true);
  assert.equal(machine.lost(T).rejoin, 'm1');
  machine.retry();
  machine.opened();
  machine.joinStarted('m2', false);
  assert.equal(machine.lost(T).rejoin, null);
});

test('restart: to the same or the named node at once, with the meeting to join, the waits from the start', () => {
  const { machine } = connectedMachine(true);
  machine.lost(T);
  machine.retry();
  machine.connectFailed(T);
  assert.deepEqual(machine.restart('m1'), { kind: 'connecting', node: 'main', attempt: 0, rejoin: 'm1' });
  machine.opened();
  machine.joinStarted('m1', true);
  machine.joined('p');
  assert.deepEqual(machine.restart('m1', 'backup'), { kind: 'connecting', node: 'backup', attempt: 0, rejoin: 'm1' });
  machine.opened();
  // The table starts again: the other node at once.
  assert.deepEqual(machine.lost(T), { kind: 'reconnecting', node: 'main', attempt: 1, retryAt: T, rejoin: null });
});

test('left, refused, join failed and stop', () => {
  const { machine } = connectedMachine(false);
  machine.joinStarted('m1', false);
  assert.deepEqual(machine.joinFailed(), { kind: 'connected', node: 'main' });
  machine.joinStarted('m1', false);
  machine.joined('p');
  assert.deepEqual(machine.left(), { kind: 'connected', node: 'main' });
  assert.deepEqual(machine.refused('unauthorised: bad signature'), { kind: 'refused', reason: 'unauthorised: bad signature' });
  assert.deepEqual(machine.stop(), { kind: 'stopped' });
  assert.deepEqual(machine.stop(), { kind: 'stopped' });
});

test('an event the state does not expect throws, naming both, and changes nothing', () => {
  const cases: [string, (m: MeetingMachine) => void, (m: MeetingMachine) => unknown][] = [
    ['opened', () => {}, (m) => m.opened()],
    ['start', (m) => m.start('main'), (m) => m.start('main')],
    ['joinStarted', (m) => m.start('main'), (m) => m.joinStarted('m1', false)],
    [
      'joined',
      (m) => {
        m.start('main');
        m.configured(false);
        m.opened();
      },
      (m) => m.joined('p'),
    ],
    [
      'lost',
      (m) => {
        m.start('main');
        m.configured(false);
      },
      (m) => m.lost(T),
    ],
    [
      'retry',
      (m) => {
        m.start('main');
        m.configured(false);
        m.opened();
      },
      (m) => m.retry(),
    ],
    [
      'restart',
      (m) => {
        m.start('main');
        m.configured(false);
      },
      (m) => m.restart(null),
    ],
    ['left', (m) => m.stop(), (m) => m.left()],
    [
      'refused',
      (m) => {
        m.start('main');
        m.configFailed(T);
      },
      (m) => m.refused('x'),
    ],
  ];
  for (const [event, setUp, act] of cases) {
    const machine = new MeetingMachine();
    setUp(machine);
    const before = machine.state;
    assert.throws(
      () => act(machine),
      (err: unknown) =>
        err instanceof IllegalTransitionError &&
        err.message === `meeting client: event "${event}" is not allowed in state "${before.kind}"`,
      event,
    );
    assert.equal(machine.state, before, `${event} left the state as it was`);
  }
});
