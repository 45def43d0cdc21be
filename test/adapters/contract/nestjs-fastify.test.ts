import { nestAdapter } from '../nestjs/contract-app.js';
import { describeContract } from './contract.js';

describeContract(nestAdapter('fastify'));
