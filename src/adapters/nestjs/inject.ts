import { InvalidArgumentError } from '../../core/errors.js';
import { type AnyCurrent, registeredAs } from '../../core/registry.js';
import type { Current } from '../../core/types.js';
import { describeValue } from '../../core/validate.js';
import { common } from './peers.js';

/** The attributes of a `Current`: what a service injected with `@InjectCurrent(Current)` reads, and what a test provides. */
export type CurrentValues<C> = C extends Current<infer T> ? T : never;

const tokens = new WeakMap<object, symbol>();

/**
 * The DI token of a `Current` (one per definition): `CurrentModule` provides
 * the `Current` under it, and a unit test provides a plain value instead.
 *
 * @throws {InvalidArgumentError} when `current` is not a `Current` made by `defineCurrent`.
 * @example
 * ```ts
 * const moduleRef = await Test.createTestingModule({
 *   providers: [Greeter, { provide: currentToken(Current), useValue: { user: alice } }],
 * }).compile();
 * ```
 */
export function currentToken(current: AnyCurrent): symbol {
  let token = tokens.get(current);
  if (token === undefined) {
    token = Symbol(`current-attributes:${registeredAs('current', current).name}`);
    tokens.set(current, token);
  }
  return token;
}

/**
 * Injects a `Current` into a constructor parameter, as `@Inject(currentToken(Current))`.
 * Type the parameter with `CurrentValues<typeof Current>` so a unit test can
 * provide a plain object of attributes.
 *
 * @throws {InvalidArgumentError} when `current` is not a `Current` made by `defineCurrent`.
 * @example
 * ```ts
 * @Injectable()
 * export class Greeter {
 *   constructor(@InjectCurrent(Current) private readonly current: CurrentValues<typeof Current>) {}
 *   greet() { return `Hello, ${this.current.user?.name}`; }
 * }
 * ```
 */
export function InjectCurrent(current: AnyCurrent): PropertyDecorator & ParameterDecorator {
  return common.Inject(currentToken(current));
}

/** The providers `CurrentModule` declares for `currents`: each `Current` under its token. */
export function currentProviders(currents: readonly AnyCurrent[]): { provide: symbol; useValue: AnyCurrent }[] {
  if (!Array.isArray(currents)) {
    throw new InvalidArgumentError(
      `Expected \`options.currents\` to be an array of Currents made by defineCurrent(), got ${describeValue(currents)}.`,
    );
  }
  return currents.map((current, index) => {
    registeredAs(`options.currents[${index}]`, current);
    return { provide: currentToken(current), useValue: current };
  });
}
