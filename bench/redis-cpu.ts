import { redisCommand } from '../test/support/redis-server';

/**
 * CPU time (user + system, µs) a Redis server has used so far, from `INFO cpu`, read
 * over a connection of its own so that no client under measurement sends it.
 */
export async function redisCpuMicros(port: number): Promise<number> {
  const reply = await redisCommand(port, undefined, 'INFO', 'cpu');
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(reply)?.[1] ?? NaN);
  const total = seconds('used_cpu_user') + seconds('used_cpu_sys');
  if (Number.isNaN(total)) throw new Error(`INFO cpu gave no used_cpu_user/used_cpu_sys: ${reply.slice(0, 200)}`);
  return Math.round(total * 1e6);
}
