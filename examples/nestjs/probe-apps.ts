import 'reflect-metadata';
import { type CanActivate, Controller, type ExecutionContext, Get, Injectable, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { defineCurrent } from 'current-attributes';
import { CurrentModule } from 'current-attributes/nestjs';

/** Stands in for the work a request awaits (a query): the probe's tests hold requests here. */
export type Work = () => Promise<void>;

const Current = defineCurrent(
  class {
    user?: string;
  },
);

type QueryRequest = { query: Record<string, string | undefined> };
const userOf = (context: ExecutionContext) => context.switchToHttp().getRequest<QueryRequest>().query.user;

/** The fix: the guard writes the request's user to Current. */
function createCurrentModule(work: Work) {
  @Injectable()
  class SignIn implements CanActivate {
    canActivate(context: ExecutionContext) {
      Current.user = userOf(context);
      return true;
    }
  }
  @Controller()
  class WhoAmI {
    @Get('whoami')
    async whoami() {
      await work();
      return { user: Current.user };
    }
  }
  @Module({
    imports: [CurrentModule.forRoot()],
    controllers: [WhoAmI],
    providers: [{ provide: APP_GUARD, useClass: SignIn }],
  })
  class ProbeModule {}
  return ProbeModule;
}

/** The bug: a singleton service keeps the user, so concurrent requests overwrite each other's. */
function createBrokenModule(work: Work) {
  @Injectable()
  class SignedIn {
    user?: string;
  }
  @Injectable()
  class SignIn implements CanActivate {
    constructor(private readonly signedIn: SignedIn) {}
    canActivate(context: ExecutionContext) {
      this.signedIn.user = userOf(context);
      return true;
    }
  }
  @Controller()
  class WhoAmI {
    constructor(private readonly signedIn: SignedIn) {}
    @Get('whoami')
    async whoami() {
      await work();
      return { user: this.signedIn.user };
    }
  }
  @Module({ controllers: [WhoAmI], providers: [SignedIn, { provide: APP_GUARD, useClass: SignIn }] })
  class BrokenModule {}
  return BrokenModule;
}

const defaultWork: Work = () => new Promise((resolve) => setTimeout(resolve, 5));

/** `GET /whoami?user=…` answers `{ user }`, the request's own with `Current`, or whoever signed in last when `broken`. */
export function createProbeApp(variant: 'current' | 'broken', work: Work = defaultWork) {
  const module = variant === 'current' ? createCurrentModule(work) : createBrokenModule(work);
  return NestFactory.create(module, { logger: false, abortOnError: false });
}
