import { readFileSync } from 'node:fs';
const { url, token } = JSON.parse(readFileSync('/tmp/s1.out', 'utf8'));
const origin = new URL(url).origin;
const H = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const rpc = async (n: string, i: unknown = {}) => (await (await fetch(`${origin}/rpc/${n}`, { method: 'POST', headers: H, body: JSON.stringify(i) })).json());
await rpc('drugs.setSource', { baseUrl: readFileSync('/tmp/srv.out','utf8').trim() });
const job = await rpc('drugs.update');
const lat: {t:number, at:number}[] = []; const t0 = performance.now();
for (;;) {
  const t = performance.now(); await rpc('app.info'); lat.push({t: performance.now() - t, at: t - t0});
  await new Promise(r => setTimeout(r, 5));
  if (lat.length % 100 === 0) { const j = await rpc('jobs.get', { id: job.value.id }); if (j.value.state !== 'running' && j.value.state !== 'queued') break; }
}
const sorted = lat.map(l => l.t).sort((a, b) => a - b);
console.log('n', lat.length, 'median', sorted[sorted.length >> 1].toFixed(2), 'p99', sorted[Math.floor(sorted.length * 0.99)].toFixed(2), 'max', sorted.at(-1)!.toFixed(2));
console.log(lat.filter(l => l.t > 15).map(l => `${l.at.toFixed(0)}:${l.t.toFixed(0)}`).join(' '));
