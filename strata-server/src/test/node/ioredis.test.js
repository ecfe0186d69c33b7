// ioredis, used as its README shows, against the Strata server IoredisTest starts on
// 127.0.0.1:$STRATA_PORT. Every test uses keys of its own prefix; each ends its connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { using } from './connect.js';

test('pipeline sends its commands at once and answers each', () => using(async (redis) => {
  const replies = await redis.pipeline().set('p:a', '1').incr('p:a').get('p:a').incr('p:missing-int')
    .exec();
  assert.deepEqual(replies, [[null, 'OK'], [null, 2], [null, '2'], [null, 1]]);
}));

test('pipeline reports one failing command and runs the others', () => using(async (redis) => {
  await redis.set('p:s', 'x');
  const [[incrError], [, got]] = await redis.pipeline().incr('p:s').get('p:s').exec();
  assert.match(incrError.message, /^ERR value is not an integer or out of range/);
  assert.equal(got, 'x');
}));

test('multi runs its commands as one transaction', () => using(async (redis) => {
  const replies = await redis.multi().set('m:a', '1').incr('m:a').incrby('m:a', 10).exec();
  assert.deepEqual(replies, [[null, 'OK'], [null, 2], [null, 12]]);
  assert.equal(await redis.get('m:a'), '12');
}));

test('multi with a command that cannot be queued applies nothing', () => using(async (redis) => {
  await assert.rejects(
    redis.multi().set('m:b', '1').call('get').exec(),
    /EXECABORT Transaction discarded because of previous errors/);
  assert.equal(await redis.exists('m:b'), 0);
}));

test('watch aborts the transaction when another client writes the key', () => using(async (redis) => {
  await redis.set('w:a', '1');
  await redis.watch('w:a');
  await using((other) => other.set('w:a', '2'));
  assert.equal(await redis.multi().set('w:b', '1').exec(), null);
  assert.equal(await redis.exists('w:b'), 0);
  await redis.watch('w:a');
  assert.deepEqual(await redis.multi().incr('w:a').exec(), [[null, 3]]);
}));

test('scanStream visits every matching key', () => using(async (redis) => {
  const wanted = new Set();
  const fill = redis.pipeline();
  for (let i = 0; i < 250; i++) {
    wanted.add(`s:${i}`);
    fill.set(`s:${i}`, i);
  }
  fill.set('other:1', 'x');
  await fill.exec();
  const seen = new Set();
  for await (const keys of redis.scanStream({ match: 's:*', count: 40 })) {
    keys.forEach((k) => seen.add(k));
  }
  assert.deepEqual([...seen].sort(), [...wanted].sort());
}));
