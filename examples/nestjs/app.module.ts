import 'reflect-metadata';
import {
  Body,
  type CanActivate,
  Controller,
  Get,
  Injectable,
  Module,
  Post,
  Query,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CurrentModule, type CurrentValues, InjectCurrent, Lock } from 'current-attributes/nestjs';
import { Current } from '../usage/current.js';
import { findUser } from '../usage/users.js';

/** Signs the request in: runs before every handler, and sets `Current.user` for everything after it. */
@Injectable()
export class AuthGuard implements CanActivate {
  async canActivate(context: import('@nestjs/common').ExecutionContext) {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    Current.user = await findUser(request.headers.authorization);
    if (Current.user === undefined)
      throw new UnauthorizedException({ error: 'unknown token', requestId: Current.requestId });
    return true;
  }
}

/** A service that reads the request's user through DI: a unit test gives it a plain object instead. */
@Injectable()
export class Greeter {
  constructor(@InjectCurrent(Current) private readonly current: CurrentValues<typeof Current>) {}

  greet(): string {
    return `Hello, ${this.current.user?.name}${this.current.isAdmin ? ' (admin)' : ''}`;
  }
}

/** The accounts' balances: one instance for the app, like a repository. */
@Injectable()
export class Balances {
  readonly #balances = new Map<string, number>();
  get(account: string): number {
    return this.#balances.get(account) ?? 0;
  }
  set(account: string, balance: number): void {
    this.#balances.set(account, balance);
  }
}

// Deposits to one account run one at a time, other accounts in parallel; the key reads Current.
const perAccount = Lock({ key: () => `account:${Current.account}`, timeoutMs: 5000 });

@Controller()
export class AccountsController {
  constructor(
    private readonly greeter: Greeter,
    private readonly balances: Balances,
  ) {}

  @Get('me')
  async me(@Query('wait') wait?: string) {
    await new Promise((resolve) => setTimeout(resolve, Number(wait ?? 1))); // other requests run meanwhile
    return {
      user: Current.user?.name,
      account: Current.account,
      greeting: this.greeter.greet(),
      requestId: Current.requestId,
    };
  }

  @Post('deposit')
  @perAccount
  async deposit(@Body() { amount = 10 }: { amount?: number }) {
    const account = Current.account as string;
    const balance = this.balances.get(account); // a read-modify-write, safe inside the lock
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.balances.set(account, balance + amount);
    return { account, balance: balance + amount };
  }
}

@Module({
  imports: [
    CurrentModule.forRoot({
      currents: [Current],
      setup: (request) => {
        Current.requestId = request.headers['x-request-id']?.toString() ?? Current.requestId;
      },
    }),
  ],
  controllers: [AccountsController],
  providers: [Greeter, Balances, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AppModule {}
