import 'reflect-metadata';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { defineCurrent } from 'current-attributes';
import { CurrentModule } from 'current-attributes/nestjs';
import { findUser, type User } from '../usage/users.js';

// The store's type becomes a class: fields are attributes, initializers are defaults.
class Attributes {
  user?: User;
  requestId: string = crypto.randomUUID();
}
const Current = defineCurrent(Attributes);

@Injectable()
class Greeter {
  greet() {
    return `Hello, ${Current.user?.name}`;
  }
}

@Controller()
class MeController {
  constructor(private readonly greeter: Greeter) {}

  @Get('me')
  async me() {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { user: Current.user?.name, greeting: this.greeter.greet(), requestId: Current.requestId };
  }
}

@Module({
  imports: [
    CurrentModule.forRoot({
      setup: async (request) => {
        Current.requestId = request.headers['x-request-id']?.toString() ?? Current.requestId;
        Current.user = await findUser(request.headers.authorization);
      },
    }),
  ],
  controllers: [MeController],
  providers: [Greeter],
})
class AppModule {}

/** The app after: Current, typed from the class, read anywhere. */
export const createAfter = () => NestFactory.create(AppModule, { logger: false, abortOnError: false });
