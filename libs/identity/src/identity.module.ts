import { Module } from '@nestjs/common';
import { AuthService } from './auth.service';
import { IdentityController } from './identity.controller';
import { UsersService } from './users.service';

/** Users and their lookups; imported by any program or domain that needs to know people. */
@Module({
  providers: [UsersService],
  exports: [UsersService],
})
export class IdentityModule {}

/** Sign-in, registration and user administration over HTTP (API only). */
@Module({
  imports: [IdentityModule],
  controllers: [IdentityController],
  providers: [AuthService],
})
export class IdentityHttpModule {}
