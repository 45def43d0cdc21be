// Piscina's threads do not inherit the parent's `--import tsx` on every Node release: register it here, then load the TypeScript.
import { register } from 'tsx/esm/api';

register();
const { default: readCurrent } = await import('./task.ts');
export default readCurrent;
