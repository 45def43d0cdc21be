import { runWithEnvContext } from 'current-attributes/transports';
import { Traveling } from '../../propagation/support.js';

await runWithEnvContext(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  process.stdout.write(JSON.stringify({ ...Traveling.attributes, apiToken: Traveling.apiToken ?? null }));
});
