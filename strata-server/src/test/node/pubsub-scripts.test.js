// ioredis's Pub/Sub and Lua scripts (defineCommand), as its README shows, against the Strata
// server IoredisTest starts on 127.0.0.1:$STRATA_PORT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, using } from './connect.js';

test('a subscriber gets what is published, on a channel and a pattern', async () => {
  const sub = connect();
  try {
    await sub.subscribe('news');
    await sub.psubscribe('sport.*');
    const got = [];
    const all = new Promise((resolve) => {
      sub.on('message', (channel, message) => { got.push(`${channel}:${message}`); if (got.length === 3) resolve(); });
      sub.on('pmessage', (pattern, channel, message) => {
        got.push(`${pattern}>${channel}:${message}`);
        if (got.length === 3) resolve();
      });
    });
    await using(async (pub) => {
      assert.equal(await pub.publish('news', 'one'), 1);
      assert.equal(await pub.publish('sport.tennis', 'two'), 1);
      assert.equal(await pub.publish('news', 'three'), 1);
      assert.equal(await pub.publish('weather', 'nobody'), 0);
    });
    await all;
    assert.deepEqual(got, ['news:one', 'sport.*>sport.tennis:two', 'news:three']);
    await sub.unsubscribe('news');
    await sub.punsubscribe('sport.*');
  } finally {
    sub.disconnect();
  }
});

test('defineCommand runs a Lua script by its SHA, loading it when the server lacks it', () => using(async (redis) => {
  redis.defineCommand('incrCapped', {
    numberOfKeys: 1,
    lua: `local v = redis.call('INCR', KEYS[1])
          if v > tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]); return tonumber(ARGV[1]) end
          return v`,
  });
  await redis.script('FLUSH');
  assert.equal(await redis.incrCapped('l:n', 2), 1);
  assert.equal(await redis.incrCapped('l:n', 2), 2);
  assert.equal(await redis.incrCapped('l:n', 2), 2);
  assert.equal(await redis.get('l:n'), '2');
  const [[, loaded]] = await redis.pipeline().script('EXISTS', '0000000000000000000000000000000000000000').exec();
  assert.deepEqual(loaded, [0]);
}));
