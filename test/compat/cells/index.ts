import type { Row } from '../harness/cell.js';
import { rows as events } from './events.js';

/** Every row of the matrix, in the order the page lists them. */
export const allRows: readonly Row[] = [...events];
