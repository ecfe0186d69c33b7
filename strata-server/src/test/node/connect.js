// Connections to the Strata server IoredisTest starts on 127.0.0.1:$STRATA_PORT.
import Redis from 'ioredis';

const port = Number(process.env.STRATA_PORT);
if (!port) {
  throw new Error('STRATA_PORT is not set: run through IoredisTest, which starts the server');
}

/** A client that does not reconnect and waits a bounded time: a test fails instead of retrying forever. */
export function connect() {
  return new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null,
    connectTimeout: 5000, commandTimeout: 10000 });
}

/** Runs fn with a new client, which is disconnected afterwards. */
export async function using(fn) {
  const redis = connect();
  try {
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}
