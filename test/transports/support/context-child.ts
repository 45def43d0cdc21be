import { runWithEnvContext } from 'current-attributes/transports';
import { Travelling } from '../../propagation/support.js';

await runWithEnvContext(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  process.stdout.write(JSON.stringify({ ...Travelling.attributes, apiToken: Travelling.apiToken ?? null }));
});
