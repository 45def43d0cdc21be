// Run as its own process under a low `ulimit -n`: loads the server at
// argv[2] with more connections (argv[3]) than the process may open, and
// prints the summary. The server lives in the test's process, outside the
// limit: what runs short of descriptors is the load alone.
import { loadAndVerify } from 'current-attributes/testing';

const [url = '', connections] = process.argv.slice(2);
const summary = await loadAndVerify({
  url,
  connections: Number(connections),
  durationSeconds: 1,
  request: (index) => ({ headers: { 'x-user': `user-${index}` }, expected: `user-${index}` }),
});
console.log(JSON.stringify(summary));
