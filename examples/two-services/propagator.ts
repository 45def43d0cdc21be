import { createPropagator } from 'current-attributes/propagation';

// Both services share the secret (at least 32 bytes), e.g. from the same secret store.
const secret = process.env.SERVICE_SECRET ?? 'example-only: a secret of 32 bytes or more, never this one';

export const propagator = createPropagator({ trust: { secret } });
