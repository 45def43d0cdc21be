import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClsModule, ClsService, type ClsStore } from 'nestjs-cls';
import { findUser, type User } from '../usage/users.js';

interface Store extends ClsStore {
  user?: User;
  requestId: string;
}

@Injectable()
class Greeter {
  constructor(@Inject(ClsService) private readonly cls: ClsService<Store>) {}
  greet() {
    return `Hello, ${this.cls.get('user')?.name}`;
  }
}

@Controller()
class MeController {
  constructor(
    @Inject(ClsService) private readonly cls: ClsService<Store>,
    @Inject(Greeter) private readonly greeter: Greeter,
  ) {}

  @Get('me')
  async me() {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { user: this.cls.get('user')?.name, greeting: this.greeter.greet(), requestId: this.cls.getId() };
  }
}

@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      middleware: {
        mount: true,
        generateId: true,
        idGenerator: (req) => req.headers['x-request-id'] ?? crypto.randomUUID(),
        setup: async (cls, req) => {
          cls.set('user', await findUser(req.headers.authorization));
        },
      },
    }),
  ],
  controllers: [MeController],
  providers: [Greeter],
})
class AppModule {}

/** The app before: nestjs-cls, string keys on a ClsService. */
export const createBefore = () => NestFactory.create(AppModule, { logger: false, abortOnError: false });
