import { createRequire } from 'node:module';
import type * as NestCommon from '@nestjs/common';
import type * as NestCore from '@nestjs/core';
import type * as Rxjs from 'rxjs';
import { MissingPeerDependencyError } from '../../core/peer.js';

/**
 * Thrown when `current-attributes/nestjs` is imported in an app that lacks
 * one of the packages it needs (`@nestjs/common`, `@nestjs/core`, `rxjs`).
 * They are optional peer dependencies of current-attributes: only this
 * subpath needs them, and it needs them when it is imported, since Nest's
 * decorators run as its classes are defined. A `MissingPeerDependencyError`.
 *
 * @example
 * ```ts
 * // npm install @nestjs/common @nestjs/core rxjs reflect-metadata
 * import { CurrentModule } from 'current-attributes/nestjs';
 * ```
 */
export class NestPeerMissingError extends MissingPeerDependencyError {
  override name = 'NestPeerMissingError';

  constructor(packageName: string, options?: ErrorOptions) {
    super(
      {
        packageName,
        neededBy: 'current-attributes/nestjs',
        installCommand: 'npm install @nestjs/common @nestjs/core rxjs reflect-metadata',
      },
      options,
    );
  }
}

// Loaded with require rather than a static import, so a missing peer is a
// typed error that says what to install instead of the loader's
// ERR_MODULE_NOT_FOUND before any code of this package runs. require(esm)
// returns the same module instance as the app's `import`.
const require = createRequire(import.meta.url);

function load<T>(packageName: string): T {
  try {
    return require(packageName) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new NestPeerMissingError(packageName, { cause: error });
    }
    throw error;
  }
}

export const common = load<typeof NestCommon>('@nestjs/common');
export const core = load<typeof NestCore>('@nestjs/core');
export const rxjs = load<typeof Rxjs>('rxjs');
