// Run as its own process under a low `ulimit -n`: loads a local server with
// more connections than the process may open, and prints the summary.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadAndVerify } from 'current-attributes/testing';

const connections = Number(process.argv[2]);
const server = createServer((req, res) => res.end(req.headers['x-user']));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const summary = await loadAndVerify({
  url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  connections,
  durationSeconds: 1,
  request: (index) => ({ headers: { 'x-user': `user-${index}` }, expected: `user-${index}` }),
});
server.closeAllConnections();
server.close();
console.log(JSON.stringify(summary));
