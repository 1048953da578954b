import { Socket } from 'node:net';

/**
 * CPU time (user + system, µs) a Redis server has used so far, from `INFO cpu`, read
 * over a socket of its own so that no client under measurement sends it.
 */
export function redisCpuMicros(port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('redis-server did not answer INFO cpu')));
    socket.once('error', reject);
    socket.connect(port, host, () => socket.write('*2\r\n$4\r\nINFO\r\n$3\r\ncpu\r\n*1\r\n$4\r\nQUIT\r\n'));
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('close', () => {
      const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(reply)?.[1] ?? NaN);
      const total = seconds('used_cpu_user') + seconds('used_cpu_sys');
      if (Number.isNaN(total)) reject(new Error(`INFO cpu gave no used_cpu_user/used_cpu_sys: ${reply.slice(0, 200)}`));
      else resolve(Math.round(total * 1e6));
    });
  });
}
